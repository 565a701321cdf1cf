package com.emotionmonitor.job;

import com.emotionmonitor.job.io.BoundedTimestamps;
import com.emotionmonitor.job.io.ReceivedPost;
import com.emotionmonitor.job.io.SocialPostDeserializer;
import com.emotionmonitor.schema.DeadLetter;
import com.emotionmonitor.schema.DriftAlert;
import com.emotionmonitor.schema.EmotionAlert;
import com.emotionmonitor.schema.EmotionEvent;
import com.emotionmonitor.schema.EmotionStats;
import com.emotionmonitor.schema.ModelCommand;
import com.emotionmonitor.schema.ModelComparison;
import com.emotionmonitor.schema.ModelStatus;
import com.emotionmonitor.job.io.ModelCommandDeserializer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.AvroSerializationSchema;
import org.apache.flink.types.Either;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The Kafka sources and the exactly-once Kafka sinks, configured from {@link JobConfig}. Every client gets the
 * {@code kafka.properties.*} pass-through (security, timeouts), then the settings the job owns on top.
 */
public final class KafkaConnectors {

    private KafkaConnectors() {}

    public static KafkaSource<Either<DeadLetter, ReceivedPost>> postsSource(JobConfig config) {
        return postsSource(config, new SocialPostDeserializer(config.eventTime()));
    }

    /** The posts source with another deserializer (tests wrap the real one to inject failures). */
    public static KafkaSource<Either<DeadLetter, ReceivedPost>> postsSource(
            JobConfig config, KafkaRecordDeserializationSchema<Either<DeadLetter, ReceivedPost>> deserializer) {
        KafkaSourceBuilder<Either<DeadLetter, ReceivedPost>> builder = KafkaSource.<Either<DeadLetter, ReceivedPost>>builder()
                .setProperties(config.kafkaClientProperties()) // kafka.properties.* first: the job's own settings win
                .setBootstrapServers(config.bootstrapServers())
                .setTopics(config.postsTopic())
                .setGroupId(config.groupId())
                .setDeserializer(deserializer)
                .setStartingOffsets(switch (config.startingOffsets()) {
                    case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
                    case EARLIEST -> OffsetsInitializer.earliest();
                    case LATEST -> OffsetsInitializer.latest();
                })
                // Upstream producers may write transactionally: never read their aborted posts.
                .setProperty("isolation.level", "read_committed")
                .setProperty("commit.offsets.on.checkpoint", "true");
        if (config.bounded()) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /**
     * The model-control topic (Avro ModelCommand), read from {@code startMillis} (when the job graph was built): a new
     * job serves its configured version and applies only commands issued from its start on; a job restored from a
     * checkpoint or savepoint continues from its checkpointed offsets, so commands sent while it was down still apply.
     */
    public static KafkaSource<ModelCommand> modelControlSource(JobConfig config, long startMillis) {
        KafkaSourceBuilder<ModelCommand> builder = KafkaSource.<ModelCommand>builder()
                .setProperties(config.kafkaClientProperties())
                .setBootstrapServers(config.bootstrapServers())
                .setTopics(config.modelControlTopic())
                .setGroupId(config.groupId() + "-model-control")
                .setDeserializer(new ModelCommandDeserializer())
                .setStartingOffsets(OffsetsInitializer.timestamp(startMillis))
                .setProperty("isolation.level", "read_committed")
                .setProperty("commit.offsets.on.checkpoint", "false");
        if (config.bounded()) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    public static PipelineSinks sinks(JobConfig config) {
        return new PipelineSinks(
                sink(config, "events", KafkaRecordSerializationSchema.<EmotionEvent>builder()
                        .setTopic(config.eventsTopic())
                        .setKeySerializationSchema((SerializationSchema<EmotionEvent>) e -> utf8(e.getPostId()))
                        .setValueSerializationSchema(AvroSerializationSchema.forSpecific(EmotionEvent.class))
                        .build()),
                sink(config, "stats", KafkaRecordSerializationSchema.<EmotionStats>builder()
                        .setTopic(config.statsTopic())
                        .setKeySerializationSchema((SerializationSchema<EmotionStats>) s -> utf8(s.getScope()))
                        .setValueSerializationSchema(AvroSerializationSchema.forSpecific(EmotionStats.class))
                        .build()),
                sink(config, "dead-letters", KafkaRecordSerializationSchema.<DeadLetter>builder()
                        .setTopic(config.deadLetterTopic())
                        .setKeySerializationSchema((SerializationSchema<DeadLetter>) KafkaConnectors::deadLetterKey)
                        .setValueSerializationSchema(AvroSerializationSchema.forSpecific(DeadLetter.class))
                        .build()),
                sink(config, "alerts", KafkaRecordSerializationSchema.<EmotionAlert>builder()
                        .setTopic(config.alertsTopic())
                        .setKeySerializationSchema((SerializationSchema<EmotionAlert>) a -> utf8(a.getScope()))
                        .setValueSerializationSchema(AvroSerializationSchema.forSpecific(EmotionAlert.class))
                        .build()),
                sink(config, "drift-alerts", KafkaRecordSerializationSchema.<DriftAlert>builder()
                        .setTopic(config.driftAlertsTopic())
                        .setKeySerializationSchema((SerializationSchema<DriftAlert>) a -> utf8(a.getScope()))
                        .setValueSerializationSchema(AvroSerializationSchema.forSpecific(DriftAlert.class))
                        .build()),
                sink(config, "comparisons", KafkaRecordSerializationSchema.<ModelComparison>builder()
                        .setTopic(config.comparisonsTopic())
                        .setKeySerializationSchema((SerializationSchema<ModelComparison>) c -> utf8(c.getScope()))
                        .setValueSerializationSchema(AvroSerializationSchema.forSpecific(ModelComparison.class))
                        .build()),
                sink(config, "model-status", KafkaRecordSerializationSchema.<ModelStatus>builder()
                        .setTopic(config.modelStatusTopic())
                        .setKeySerializationSchema((SerializationSchema<ModelStatus>) m -> utf8(m.getModelName()))
                        .setValueSerializationSchema(AvroSerializationSchema.forSpecific(ModelStatus.class))
                        .build()));
    }

    /**
     * EXACTLY_ONCE: records become visible to read_committed consumers when the checkpoint that covers them completes.
     * Each sink gets its own transactional id prefix (two sinks sharing one would fence each other).
     */
    private static <T> KafkaSink<T> sink(JobConfig config, String name, KafkaRecordSerializationSchema<T> serializer) {
        return KafkaSink.<T>builder()
                .setKafkaProducerConfig(config.kafkaClientProperties())
                .setBootstrapServers(config.bootstrapServers())
                .setRecordSerializer(BoundedTimestamps.of(serializer))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(config.transactionalIdPrefix() + "-" + name)
                .setProperty("transaction.timeout.ms", Long.toString(config.transactionTimeout().toMillis()))
                .build();
    }

    private static byte[] deadLetterKey(DeadLetter d) {
        if (d.getRawKey() != null) {
            ByteBuffer key = d.getRawKey().duplicate();
            byte[] bytes = new byte[key.remaining()];
            key.get(bytes);
            return bytes;
        }
        return utf8(d.getSourceTopic() + "-" + d.getSourcePartition() + "@" + d.getSourceOffset());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
