package com.emotionmonitor.job;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.util.TimeUtils;

/**
 * Every setting of the streaming job, typed and in one place. Built from {@code key=value} pairs (a properties file,
 * then CLI overrides); {@link #KEYS} lists the keys, their defaults and meaning. Durations accept Flink's syntax
 * ({@code 500ms}, {@code 30s}, {@code 1min}, {@code 2h}).
 */
public record JobConfig(
        String bootstrapServers,
        String groupId,
        StartingOffsets startingOffsets,
        boolean bounded,
        String postsTopic,
        String eventsTopic,
        String statsTopic,
        String deadLetterTopic,
        int parallelism,
        Duration checkpointInterval,
        int restartAttempts,
        Duration restartDelay,
        String transactionalIdPrefix,
        Duration transactionTimeout,
        Duration outOfOrderness,
        Duration idleness,
        Duration windowSize,
        Duration allowedLateness,
        int batchMaxSize,
        int batchMaxTokens,
        Duration batchMaxWait,
        int asyncCapacity,
        Duration asyncTimeout,
        String modelStore,
        String modelName,
        String modelVersion)
        implements Serializable {

    /** Where the posts source starts when the consumer group has no committed offsets yet, or always. */
    public enum StartingOffsets {
        /** Resume from the group's committed offsets; the earliest offset if there are none. */
        COMMITTED,
        EARLIEST,
        LATEST
    }

    /** Key -> {default, meaning}. The order is the order of the help text. */
    public static final Map<String, String[]> KEYS = keys();

    private static Map<String, String[]> keys() {
        Map<String, String[]> k = new LinkedHashMap<>();
        k.put("kafka.bootstrap-servers", new String[] {"127.0.0.1:9092", "Kafka bootstrap servers"});
        k.put("kafka.group-id", new String[] {"emotion-monitor", "consumer group of the posts source"});
        k.put("kafka.starting-offsets", new String[] {"committed", "committed | earliest | latest"});
        k.put("kafka.bounded", new String[] {"false", "stop at the posts topic's end offsets taken at start (backfill)"});
        k.put("topic.posts", new String[] {"social-posts", "input topic of Avro SocialPost"});
        k.put("topic.events", new String[] {"emotion-events", "output topic of Avro EmotionEvent (key: post id)"});
        k.put("topic.stats", new String[] {"emotion-stats", "output topic of Avro EmotionStats (key: scope)"});
        k.put("topic.dead-letters", new String[] {"emotion-dead-letters", "output topic of Avro DeadLetter"});
        k.put("job.parallelism", new String[] {"1", "parallelism of every operator"});
        k.put("job.checkpoint-interval", new String[] {"10s", "checkpoint interval; Kafka transactions commit on checkpoints"});
        k.put("job.restart-attempts", new String[] {"3", "fixed-delay restart attempts before the job fails"});
        k.put("job.restart-delay", new String[] {"2s", "delay between restart attempts"});
        k.put("sink.transactional-id-prefix", new String[] {"emotion-monitor", "prefix of the sinks' Kafka transactional ids (unique per job)"});
        k.put("sink.transaction-timeout", new String[] {"10min", "Kafka transaction timeout; must stay below the broker's transaction.max.timeout.ms (15min by default)"});
        k.put("watermark.out-of-orderness", new String[] {"5s", "bounded out-of-orderness of created_at"});
        k.put("watermark.idleness", new String[] {"30s", "a partition without posts this long stops holding back the watermark"});
        k.put("window.size", new String[] {"1min", "tumbling event-time window of the statistics"});
        k.put("window.allowed-lateness", new String[] {"30s", "late events within this re-fire their window; later ones become LATE stats"});
        k.put("batch.max-size", new String[] {"32", "most posts in one model batch"});
        k.put("batch.max-tokens", new String[] {"4096", "most padded tokens (batch size x longest post) in one model batch"});
        k.put("batch.max-wait", new String[] {"20ms", "longest a post waits for its batch to fill"});
        k.put("async.capacity", new String[] {"256", "posts in flight per classify subtask"});
        k.put("async.timeout", new String[] {"60s", "a post not labelled within this goes to the dead-letter topic"});
        k.put("model.store", new String[] {"model-store", "model store root: <store>/<name>/<version>/"});
        k.put("model.name", new String[] {"weibo-emotion", "model to serve"});
        k.put("model.version", new String[] {"", "version to serve; empty = the newest published version, resolved once at job start"});
        return java.util.Collections.unmodifiableMap(k);
    }

    public JobConfig {
        require(!bootstrapServers.isBlank(), "kafka.bootstrap-servers is empty");
        require(parallelism >= 1, "job.parallelism must be >= 1, got " + parallelism);
        require(!checkpointInterval.isNegative() && !checkpointInterval.isZero(), "job.checkpoint-interval must be positive");
        require(transactionTimeout.compareTo(checkpointInterval) > 0,
                "sink.transaction-timeout (" + transactionTimeout + ") must exceed job.checkpoint-interval (" + checkpointInterval + ")");
        require(restartAttempts >= 0, "job.restart-attempts must be >= 0");
        require(windowSize.toMillis() > 0, "window.size must be positive");
        require(!allowedLateness.isNegative(), "window.allowed-lateness must not be negative");
        require(!outOfOrderness.isNegative(), "watermark.out-of-orderness must not be negative");
        require(idleness.toMillis() > 0, "watermark.idleness must be positive");
        require(batchMaxSize >= 1, "batch.max-size must be >= 1");
        require(batchMaxTokens >= 1, "batch.max-tokens must be >= 1");
        require(!batchMaxWait.isNegative(), "batch.max-wait must not be negative");
        require(asyncCapacity >= 1, "async.capacity must be >= 1");
        require(asyncTimeout.toMillis() > 0, "async.timeout must be positive");
        require(!transactionalIdPrefix.isBlank(), "sink.transactional-id-prefix is empty");
        require(Set.of(postsTopic, eventsTopic, statsTopic, deadLetterTopic).size() == 4,
                "topics must be four different names: " + postsTopic + ", " + eventsTopic + ", " + statsTopic + ", " + deadLetterTopic);
        require(!modelName.isBlank(), "model.name is empty");
    }

    /** All defaults. */
    public static JobConfig defaults() {
        return from(Map.of());
    }

    /** Defaults, overridden by {@code settings}; unknown keys and unparsable values are errors naming the key. */
    public static JobConfig from(Map<String, String> settings) {
        Set<String> unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(KEYS.keySet());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown job setting(s) " + unknown + "; known: " + KEYS.keySet());
        }
        Values v = new Values(settings);
        return new JobConfig(
                v.str("kafka.bootstrap-servers"),
                v.str("kafka.group-id"),
                v.enumValue("kafka.starting-offsets", StartingOffsets.class),
                v.bool("kafka.bounded"),
                v.str("topic.posts"),
                v.str("topic.events"),
                v.str("topic.stats"),
                v.str("topic.dead-letters"),
                v.integer("job.parallelism"),
                v.duration("job.checkpoint-interval"),
                v.integer("job.restart-attempts"),
                v.duration("job.restart-delay"),
                v.str("sink.transactional-id-prefix"),
                v.duration("sink.transaction-timeout"),
                v.duration("watermark.out-of-orderness"),
                v.duration("watermark.idleness"),
                v.duration("window.size"),
                v.duration("window.allowed-lateness"),
                v.integer("batch.max-size"),
                v.integer("batch.max-tokens"),
                v.duration("batch.max-wait"),
                v.integer("async.capacity"),
                v.duration("async.timeout"),
                v.str("model.store"),
                v.str("model.name"),
                v.str("model.version"));
    }

    /** Reads a properties file (UTF-8) into settings for {@link #from}. */
    public static Map<String, String> readProperties(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, String> out = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k).trim()));
        return out;
    }

    /** This config with some settings replaced (same keys as {@link #from}). */
    public JobConfig with(Map<String, String> overrides) {
        Map<String, String> all = new LinkedHashMap<>(toSettings());
        all.putAll(overrides);
        return from(all);
    }

    /** The settings that reproduce this config. */
    public Map<String, String> toSettings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("kafka.bootstrap-servers", bootstrapServers);
        s.put("kafka.group-id", groupId);
        s.put("kafka.starting-offsets", startingOffsets.name().toLowerCase(java.util.Locale.ROOT));
        s.put("kafka.bounded", Boolean.toString(bounded));
        s.put("topic.posts", postsTopic);
        s.put("topic.events", eventsTopic);
        s.put("topic.stats", statsTopic);
        s.put("topic.dead-letters", deadLetterTopic);
        s.put("job.parallelism", Integer.toString(parallelism));
        s.put("job.checkpoint-interval", TimeUtils.formatWithHighestUnit(checkpointInterval));
        s.put("job.restart-attempts", Integer.toString(restartAttempts));
        s.put("job.restart-delay", TimeUtils.formatWithHighestUnit(restartDelay));
        s.put("sink.transactional-id-prefix", transactionalIdPrefix);
        s.put("sink.transaction-timeout", TimeUtils.formatWithHighestUnit(transactionTimeout));
        s.put("watermark.out-of-orderness", TimeUtils.formatWithHighestUnit(outOfOrderness));
        s.put("watermark.idleness", TimeUtils.formatWithHighestUnit(idleness));
        s.put("window.size", TimeUtils.formatWithHighestUnit(windowSize));
        s.put("window.allowed-lateness", TimeUtils.formatWithHighestUnit(allowedLateness));
        s.put("batch.max-size", Integer.toString(batchMaxSize));
        s.put("batch.max-tokens", Integer.toString(batchMaxTokens));
        s.put("batch.max-wait", TimeUtils.formatWithHighestUnit(batchMaxWait));
        s.put("async.capacity", Integer.toString(asyncCapacity));
        s.put("async.timeout", TimeUtils.formatWithHighestUnit(asyncTimeout));
        s.put("model.store", modelStore);
        s.put("model.name", modelName);
        s.put("model.version", modelVersion);
        return s;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Settings with defaults filled in; each parse error names its key. */
    private record Values(Map<String, String> settings) {

        String str(String key) {
            String value = settings.get(key);
            return (value != null ? value : KEYS.get(key)[0]).trim();
        }

        int integer(String key) {
            try {
                return Integer.parseInt(str(key));
            } catch (NumberFormatException e) {
                throw bad(key, "an integer");
            }
        }

        boolean bool(String key) {
            String s = str(key).toLowerCase(java.util.Locale.ROOT);
            if (!s.equals("true") && !s.equals("false")) {
                throw bad(key, "true or false");
            }
            return Boolean.parseBoolean(s);
        }

        Duration duration(String key) {
            try {
                return TimeUtils.parseDuration(str(key));
            } catch (RuntimeException e) {
                throw bad(key, "a duration such as 500ms, 30s, 1min");
            }
        }

        <E extends Enum<E>> E enumValue(String key, Class<E> type) {
            try {
                return Enum.valueOf(type, str(key).toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw bad(key, "one of " + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(java.util.Locale.ROOT));
            }
        }

        private IllegalArgumentException bad(String key, String expected) {
            return new IllegalArgumentException(key + " = '" + str(key) + "' is not " + expected);
        }
    }
}
