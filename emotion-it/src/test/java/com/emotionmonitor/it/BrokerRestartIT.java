package com.emotionmonitor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.job.EmotionPipeline;
import com.emotionmonitor.job.JobConfig;
import com.emotionmonitor.job.KafkaConnectors;
import com.emotionmonitor.job.model.StoreModelSource;
import com.emotionmonitor.schema.SocialPost;
import com.emotionmonitor.testkit.EmbeddedKafkaExtension;
import com.emotionmonitor.testkit.MiniClusters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker process stops mid-stream, under a running job, for several seconds, and starts again on the same port
 * with the same data: the job rides it out (its restart strategy redoes what the outage broke) and the committed
 * output is still exactly one event per post, read back with read_committed.
 */
class BrokerRestartIT {

    static final int N = 160;

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.loopback(2);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void exactlyOnceHoldsAcrossABrokerRestart(@TempDir Path store, @TempDir Path savepoints) throws Exception {
        StoreModelSource model = PipelineFixture.tinyModel(store);
        JobConfig config = PipelineFixture.config(KAFKA.bootstrapServers(), "broker-restart", model, false).with(Map.of(
                "job.restart-attempts", "30", "job.restart-delay", "1s"));
        PipelineFixture.createTopics(KAFKA.bootstrapServers(), config);
        List<SocialPost> posts = PipelineFixture.posts(N);
        PipelineFixture.produce(KAFKA.bootstrapServers(), config.postsTopic(), posts.subList(0, N / 2), List.of());

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        EmotionPipeline.configure(env, config);
        EmotionPipeline.build(env, config, KafkaConnectors.postsSource(config), model, KafkaConnectors.sinks(config));
        JobClient job = env.executeAsync("broker restart IT");
        try {
            PipelineFixture.awaitEvents(KAFKA.bootstrapServers(), config, 1, Duration.ofMinutes(2));
            KAFKA.kafka().stop();
            Thread.sleep(5_000); // an outage the clients notice: connections refused, transactions cannot commit
            KAFKA.kafka().startAgain();
            PipelineFixture.produce(KAFKA.bootstrapServers(), config.postsTopic(), posts.subList(N / 2, N), List.of());

            PipelineFixture.awaitEvents(KAFKA.bootstrapServers(), config, N, Duration.ofMinutes(4));
            assertEquals(JobStatus.RUNNING, job.getJobStatus().get(1, TimeUnit.MINUTES), "the job rode out the outage");
            job.stopWithSavepoint(true, savepoints.toUri().toString(), SavepointFormatType.CANONICAL).get(3, TimeUnit.MINUTES);
        } finally {
            if (!job.getJobStatus().get(1, TimeUnit.MINUTES).isGloballyTerminalState()) {
                job.cancel().get(1, TimeUnit.MINUTES);
            }
        }

        PipelineFixture.Output out = PipelineFixture.readCommitted(KAFKA.bootstrapServers(), config);
        List<String> ids = new ArrayList<>(out.eventIds());
        assertEquals(N, new HashSet<>(ids).size(), "every post labelled");
        assertEquals(N, ids.size(), "no duplicates after the outage");
        ids.sort(null);
        assertEquals(posts.stream().map(SocialPost::getId).sorted().toList(), ids);
        assertEquals(N, out.globalStatsTotal(), out::describeGlobalStats);
        assertTrue(out.deadLetters().isEmpty(), () -> "unexpected dead letters: " + out.deadLetters());
    }
}
