package com.emotionmonitor.job.io;

/**
 * Avro trusts the length prefixes in the bytes it decodes: a corrupt record announcing a 2 GB string makes it
 * allocate 2 GB. Avro reads these caps once, when its limits class first loads, so they are set as early as the
 * deserializer class loads (and by the CLI at start); an explicit -D still wins.
 */
public final class AvroLimits {

    /** Far above any post (Kafka's default message limit is 1 MiB), far below an OutOfMemoryError. */
    static final String MAX_BYTES = Integer.toString(16 * 1024 * 1024);
    static final String MAX_ITEMS = Integer.toString(1_000_000);

    private AvroLimits() {}

    public static void apply() {
        setIfAbsent("org.apache.avro.limits.string.maxLength", MAX_BYTES);
        setIfAbsent("org.apache.avro.limits.bytes.maxLength", MAX_BYTES);
        setIfAbsent("org.apache.avro.limits.collectionItems.maxLength", MAX_ITEMS);
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
