package com.emotionmonitor.tools;

import com.emotionmonitor.job.io.AvroCodec;
import com.emotionmonitor.schema.EmotionEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the events topic from the beginning as a {@code read_committed} consumer (only what the job's exactly-once
 * sink committed) and tallies it against the posts that were sent. Uses no consumer group (assign + seek), so an audit
 * never moves anyone's offsets. Stops when every expected id has come out and the committed end of every partition
 * has been read, or when the deadline passes (then the tally says what is missing).
 */
public final class EventAudit {

    private final Properties client;
    private final String topic;

    public EventAudit(String bootstrapServers, String topic) {
        this(bootstrapOnly(bootstrapServers), topic);
    }

    /** @param client the Kafka client properties (bootstrap servers, security ...) */
    public EventAudit(Properties client, String topic) {
        this.client = client;
        this.topic = topic;
    }

    /** Client properties with only the bootstrap servers. */
    public static Properties bootstrapOnly(String bootstrapServers) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers);
        return p;
    }

    public EventTally run(PostIds expected, Duration deadline, Duration settle) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "emotion-audit-events");
        EventTally tally = new EventTally(expected);
        AvroCodec<EmotionEvent> codec = new AvroCodec<>(EmotionEvent.class);
        Long settledAt = null;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .collect(Collectors.toList());
            if (partitions.isEmpty()) {
                throw new IllegalArgumentException("topic " + topic + " does not exist on " + client.get("bootstrap.servers"));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long end = System.nanoTime() + deadline.toNanos();   // time spent reading, not connecting
            while (System.nanoTime() < end) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    count(tally, codec, r);
                }
                if (tally.allSeen()) {
                    if (settledAt == null) {
                        settledAt = System.nanoTime();
                    }
                    // Read on for the settle time, then up to the committed end of every partition: a late duplicate counts.
                    if (System.nanoTime() - settledAt >= settle.toNanos() && atEnd(consumer, partitions)) {
                        break;
                    }
                }
            }
        }
        return tally;
    }

    private static void count(EventTally tally, AvroCodec<EmotionEvent> codec, ConsumerRecord<byte[], byte[]> r) {
        try {
            EmotionEvent event = codec.decode(r.value());
            String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
            if (key != null && !key.equals(event.getPostId())) {
                tally.addUndecodable();
                return;
            }
            tally.add(event.getPostId(), event.getModelName() + "/" + event.getModelVersion(),
                    event.getProcessedAt() == null ? -1 : event.getProcessedAt().toEpochMilli());
        } catch (IOException | RuntimeException e) {
            tally.addUndecodable();
        }
    }

    /** True when the position of every partition has reached its last stable (committed) offset. */
    private static boolean atEnd(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
    }
}
