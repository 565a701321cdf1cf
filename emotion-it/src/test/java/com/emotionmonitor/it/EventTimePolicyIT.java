package com.emotionmonitor.it;

import com.emotionmonitor.testkit.MiniClusters;
import com.emotionmonitor.testkit.EmbeddedKafkaExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.job.EmotionPipeline;
import com.emotionmonitor.job.JobConfig;
import com.emotionmonitor.job.KafkaConnectors;
import com.emotionmonitor.job.model.StoreModelSource;
import com.emotionmonitor.job.ops.Scopes;
import com.emotionmonitor.schema.EmotionEvent;
import com.emotionmonitor.schema.EmotionStats;
import com.emotionmonitor.schema.SocialPost;
import com.emotionmonitor.schema.StatsKind;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One bad clock must not stop the stream: posts dated ten years ahead (the broker refuses such a record timestamp),
 * 58 minutes ahead (accepted by the broker, but it would carry the watermark an hour past every real post) and in
 * 1970, sent mid-stream among real-time posts. The job keeps running, windows keep firing on time (no real post is
 * LATE), and every id comes out as exactly one event (read_committed); the three are flagged with the event time used.
 */
class EventTimePolicyIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.loopback(2);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final long HOUR = 3_600_000L;

    @Test
    void farFutureNearLimitAnd1970PostsMidStreamNeitherStopTheJobNorDelayTheWindows(@TempDir Path store) throws Exception {
        StoreModelSource model = PipelineFixture.tinyModel(store);
        JobConfig config = PipelineFixture.config(KAFKA.bootstrapServers(), "event-time", model, false).with(Map.of(
                "window.size", "2s",
                "window.allowed-lateness", "0s",
                "window.late-flush-interval", "200ms",
                "watermark.out-of-orderness", "300ms",
                "event-time.max-future-skew", "300ms",
                "job.restart-attempts", "0")); // a poison record must not need a restart: any failure fails the test
        PipelineFixture.createTopics(KAFKA.bootstrapServers(), config);
        List<String> texts = PipelineFixture.posts(60).stream().map(SocialPost::getText).toList();

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        EmotionPipeline.configure(env, config);
        EmotionPipeline.build(env, config, KafkaConnectors.postsSource(config), model, KafkaConnectors.sinks(config));
        JobClient job = env.executeAsync("event-time policy IT");
        List<String> sent = new ArrayList<>();
        Map<String, Long> bad = Map.of("from-2036", 10 * 8760 * HOUR, "ahead-58min", 58 * 60_000L, "from-1970", Long.MIN_VALUE);
        long injectedAt;
        try {
            // Real-time posts (created_at = the moment each is sent), the three bad ones after 2 s, and more real-time
            // posts until a window that starts 2 s after the bad ones has fired on time.
            long start = System.currentTimeMillis();
            injectedAt = 0;
            long deadline = start + 90_000;
            for (int i = 0; ; i++) {
                long now = System.currentTimeMillis();
                assertTrue(now < deadline, "no window after the bad posts fired within 90 s");
                List<SocialPost> batch = new ArrayList<>();
                batch.add(post("live-" + i, texts.get(i % texts.size()), now));
                if (injectedAt == 0 && now - start >= 2_000) {
                    injectedAt = now;
                    bad.forEach((id, offset) -> batch.add(post(id, "时钟坏了也要记录", offset == Long.MIN_VALUE ? 0L : now + offset)));
                }
                PipelineFixture.produce(KAFKA.bootstrapServers(), config.postsTopic(), batch, List.of());
                batch.forEach(p -> sent.add(p.getId()));
                if (injectedAt > 0 && i % 5 == 0 && onTimeWindowFired(config, injectedAt + 2_000)) {
                    break;
                }
                Thread.sleep(100);
            }
            PipelineFixture.awaitEvents(KAFKA.bootstrapServers(), config, sent.size(), Duration.ofMinutes(2));
            assertEquals(JobStatus.RUNNING, job.getJobStatus().get(1, TimeUnit.MINUTES), "the job keeps running");

            PipelineFixture.Output last = PipelineFixture.readCommitted(KAFKA.bootstrapServers(), config);
            List<String> ids = new ArrayList<>(last.eventIds());
            ids.sort(null);
            List<String> expected = new ArrayList<>(sent);
            expected.sort(null);
            assertEquals(expected, ids, "every id exactly one event");
            assertTrue(last.deadLetters().isEmpty(), () -> "no dead letters expected: " + last.deadLetters());

            Map<String, EmotionEvent> byId = new HashMap<>();
            last.events().forEach(e -> byId.put(e.getPostId(), e));
            for (String id : bad.keySet()) {
                EmotionEvent e = byId.get(id);
                assertNotNull(e.getAdjustedEventTime(), id + " is flagged with the event time the job used");
                assertTrue(Math.abs(e.getAdjustedEventTime().toEpochMilli() - injectedAt) < 60_000,
                        id + ": its Kafka timestamp, not its claimed time: " + e.getAdjustedEventTime());
            }
            assertEquals(Instant.EPOCH, byId.get("from-1970").getCreatedAt(), "the claimed created_at is kept as it was");
            last.events().stream().filter(e -> e.getPostId().startsWith("live-"))
                    .forEach(e -> assertNull(e.getAdjustedEventTime(), e.getPostId()));

            long late = last.stats().stream().filter(s -> s.getScope().equals(Scopes.GLOBAL) && s.getKind() == StatsKind.LATE)
                    .mapToLong(EmotionStats::getTotal).sum();
            assertEquals(0, late, last::describeGlobalStats);
        } finally {
            if (!job.getJobStatus().get(1, TimeUnit.MINUTES).isGloballyTerminalState()) {
                job.cancel().get(1, TimeUnit.MINUTES);
            }
        }
    }

    /** Whether the global on-time result of a window starting at or after {@code afterMillis} is committed. */
    private static boolean onTimeWindowFired(JobConfig config, long afterMillis) throws Exception {
        return PipelineFixture.readCommitted(KAFKA.bootstrapServers(), config).stats().stream()
                .anyMatch(s -> s.getScope().equals(Scopes.GLOBAL) && s.getKind() == StatsKind.WINDOW
                        && s.getWindowStart().toEpochMilli() >= afterMillis);
    }

    private static SocialPost post(String id, String text, long createdAt) {
        return SocialPost.newBuilder().setId(id).setText(text).setCreatedAt(Instant.ofEpochMilli(createdAt))
                .setAuthorId(null).setSource(null).build();
    }
}
