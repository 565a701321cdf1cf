package com.emotionmonitor.it;

import com.emotionmonitor.testkit.MiniClusters;
import com.emotionmonitor.testkit.EmbeddedKafkaExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.embedded.EmbeddedKafka;
import com.emotionmonitor.job.EmotionPipeline;
import com.emotionmonitor.job.JobConfig;
import com.emotionmonitor.job.KafkaConnectors;
import com.emotionmonitor.job.io.ReceivedPost;
import com.emotionmonitor.job.io.SocialPostDeserializer;
import com.emotionmonitor.job.model.StoreModelSource;
import com.emotionmonitor.schema.DeadLetter;
import com.emotionmonitor.schema.SocialPost;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once across a failure: the job fails once mid-stream, after a checkpoint has committed output, restarts from
 * that checkpoint, and the committed output is still exactly N events with no duplicates.
 */
class EmotionPipelineFailoverIT {

    static final int N = 200;

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.loopback(2);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void failureAfterACheckpointStillYieldsExactlyNEvents(@TempDir Path store, @TempDir Path savepoints) throws Exception {
        StoreModelSource model = PipelineFixture.tinyModel(store);
        JobConfig config = PipelineFixture.config(KAFKA.bootstrapServers(), "failover", model, false);
        PipelineFixture.createTopics(KAFKA.bootstrapServers(), config);
        List<SocialPost> posts = PipelineFixture.posts(N);

        PipelineFixture.produce(KAFKA.bootstrapServers(), config.postsTopic(), posts.subList(0, N / 2), List.of());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        EmotionPipeline.configure(env, config);
        EmotionPipeline.build(env, config, KafkaConnectors.postsSource(config, new FailOnceDeserializer()), model,
                KafkaConnectors.sinks(config));
        JobClient job = env.executeAsync("pipeline IT (failover)");
        try {
            // Committed events prove a checkpoint completed: fail on the next record read after it.
            PipelineFixture.awaitEvents(KAFKA.bootstrapServers(), config, 1, Duration.ofMinutes(2));
            FailOnceDeserializer.ARMED.set(true);
            PipelineFixture.produce(KAFKA.bootstrapServers(), config.postsTopic(), posts.subList(N / 2, N), List.of());

            PipelineFixture.awaitEvents(KAFKA.bootstrapServers(), config, N, Duration.ofMinutes(3));
            assertEquals(1, FailOnceDeserializer.FAILURES.get(), "the injected failure happened exactly once");
            assertEquals(JobStatus.RUNNING, job.getJobStatus().get(1, TimeUnit.MINUTES), "the job recovered by itself");
            // Drain: the final watermark closes every window; the savepoint commits the last transactions.
            job.stopWithSavepoint(true, savepoints.toUri().toString(), SavepointFormatType.CANONICAL).get(3, TimeUnit.MINUTES);
        } finally {
            if (!job.getJobStatus().get(1, TimeUnit.MINUTES).isGloballyTerminalState()) {
                job.cancel().get(1, TimeUnit.MINUTES);
            }
        }

        PipelineFixture.Output out = PipelineFixture.readCommitted(KAFKA.bootstrapServers(), config);
        List<String> ids = new ArrayList<>(out.eventIds());
        assertEquals(N, new HashSet<>(ids).size(), "every post labelled");
        assertEquals(N, ids.size(), "no duplicates after the restart");
        ids.sort(null);
        assertEquals(posts.stream().map(SocialPost::getId).sorted().toList(), ids);
        assertEquals(N, out.globalStatsTotal(), () -> "stats restored from the checkpoint count every post once:" + out.describeGlobalStats());
        assertTrue(out.deadLetters().isEmpty(), () -> "unexpected dead letters: " + out.deadLetters());
    }

    /** The real deserializer, plus one injected failure on the first record read once the test arms it. */
    static final class FailOnceDeserializer implements KafkaRecordDeserializationSchema<Either<DeadLetter, ReceivedPost>> {
        static final AtomicBoolean ARMED = new AtomicBoolean();
        static final AtomicInteger FAILURES = new AtomicInteger();
        private final SocialPostDeserializer delegate = new SocialPostDeserializer(JobConfig.defaults().eventTime());

        @Override
        public void open(DeserializationSchema.InitializationContext context) {
            delegate.open(context);
        }

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Either<DeadLetter, ReceivedPost>> out)
                throws IOException {
            if (ARMED.compareAndSet(true, false)) {
                FAILURES.incrementAndGet();
                throw new IOException("injected failure at " + record.topic() + "-" + record.partition() + "@" + record.offset());
            }
            delegate.deserialize(record, out);
        }

        @Override
        public TypeInformation<Either<DeadLetter, ReceivedPost>> getProducedType() {
            return delegate.getProducedType();
        }
    }
}
