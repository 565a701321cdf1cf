package com.emotionmonitor.job.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.emotionmonitor.schema.ModelAction;
import com.emotionmonitor.schema.ModelCommand;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Model commands are decoded; anything else on the control topic is skipped and counted, never a crash. */
class ModelCommandDeserializerTest {

    @Test
    void decodesCommandsAndSkipsWhatIsNotOne() {
        SimpleCounter undecodable = new SimpleCounter();
        ModelCommandDeserializer d = new ModelCommandDeserializer();
        d.open(new DeserializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
                return new UnregisteredMetricsGroup() {
                    @Override
                    public org.apache.flink.metrics.Counter counter(String name) {
                        return undecodable;
                    }
                };
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                throw new UnsupportedOperationException();
            }
        });
        ModelCommand command = ModelCommand.newBuilder().setModelName("weibo-emotion").setVersion("3").setAction(ModelAction.ACTIVATE)
                .setArtifactLocation("file:///models/weibo-emotion/3").setSha256("ab".repeat(32))
                .setIssuedAt(Instant.ofEpochMilli(1_000)).setIssuedBy("ci").build();
        List<ModelCommand> out = new ArrayList<>();
        ListCollector<ModelCommand> collector = new ListCollector<>(out);
        d.deserialize(record("not avro at all".getBytes(StandardCharsets.UTF_8)), collector);
        d.deserialize(record(null), collector);
        d.deserialize(record(new AvroCodec<>(ModelCommand.class).encode(command)), collector);
        assertEquals(List.of(command), out);
        assertEquals(1, undecodable.getCount(), "the bad record is counted; the tombstone is not an error");
    }

    private static ConsumerRecord<byte[], byte[]> record(byte[] value) {
        return new ConsumerRecord<>("model-control", 0, 7L, "weibo-emotion".getBytes(StandardCharsets.UTF_8), value);
    }
}
