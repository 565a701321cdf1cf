package com.emotionmonitor.tools;

import com.emotionmonitor.job.io.AvroCodec;
import com.emotionmonitor.schema.ModelStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the whole model-status topic as a downstream {@code read_committed} consumer would (no group, no offsets
 * moved): what the job's router subtasks reported, oldest first per partition. Records that are not a ModelStatus
 * are skipped and counted.
 */
public final class ModelStatusReader {

    private final Properties props = new Properties();
    private final String topic;
    private long undecodable;

    public ModelStatusReader(String bootstrapServers, String topic) {
        this(EventAudit.bootstrapOnly(bootstrapServers), topic);
    }

    /** @param client the Kafka client properties (bootstrap servers, security ...) */
    public ModelStatusReader(Properties client, String topic) {
        props.putAll(client);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "emotion-model-status");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        this.topic = topic;
    }

    /**
     * Everything committed on the topic now.
     *
     * @throws IllegalArgumentException when the topic does not exist
     */
    public List<ModelStatus> readAll() {
        AvroCodec<ModelStatus> codec = new AvroCodec<>(ModelStatus.class);
        List<ModelStatus> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("topic '" + topic + "' does not exist on " + props.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // For read_committed the end offset is the last stable offset: stop once everything committed is read.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within a minute");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        continue;
                    }
                    try {
                        out.add(codec.decode(r.value()));
                    } catch (IOException | RuntimeException e) {
                        undecodable++;
                    }
                }
            }
        }
        return out;
    }

    /** Records skipped by the last reads because they were not a ModelStatus. */
    public long undecodable() {
        return undecodable;
    }
}
