package com.emotionmonitor.it;

import com.emotionmonitor.testkit.MiniClusters;
import com.emotionmonitor.testkit.EmbeddedKafkaExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.job.JobConfig;
import com.emotionmonitor.job.io.AvroCodec;
import com.emotionmonitor.job.model.StoreModelSource;
import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.schema.EmotionEvent;
import com.emotionmonitor.schema.ModelState;
import com.emotionmonitor.schema.ModelStatus;
import com.emotionmonitor.schema.ModelTrigger;
import com.emotionmonitor.schema.SocialPost;
import com.emotionmonitor.tools.ModelStatusReader;
import com.emotionmonitor.train.TinyRecipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model hot-swap under a steady stream of posts, end to end: Flink MiniCluster, a real in-process KRaft broker, three
 * real tiny model versions trained here, commands sent with {@code bin/emotion model} in-process.
 *
 * <ol>
 *   <li>The job starts on v1. ACTIVATE v2 mid-stream: every subtask switches once and never back; the longest gap in
 *       the output around the switch is measured, printed and bounded.
 *   <li>ACTIVATE a tampered v3 (a byte flipped after publishing): refused by every subtask with the reason on the
 *       model-status topic, while the stream keeps flowing on v2.
 *   <li>Stop with a savepoint and start a new job from it, configured with v1: it serves v2 (v3 is refused again).
 *   <li>ROLLBACK (no version given: the CLI reads the one that served before from the status topic): v1 serves again.
 * </ol>
 * Every post comes out exactly once (read_committed), and per subtask the versions come in the order v1, v2, v1.
 */
class ModelHotSwapIT {

    private static final String NAME = "tiny-emotion";
    private static final double POSTS_PER_SECOND = 20;
    private static final int EVENTS_PER_PHASE = 60;
    private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(3);
    /** Generous: the steady stream's gaps are tens of milliseconds; a swap that paused the job would show seconds. */
    private static final Duration GAP_BOUND = Duration.ofSeconds(5);

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.loopback(2);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void swapsRefusesRestoresAndRollsBackWithoutLosingOrDuplicatingAPost(@TempDir Path store, @TempDir Path savepoints)
            throws Exception {
        TinyRecipe.trainAndPublish(store, NAME, "v1", 42L);
        TinyRecipe.trainAndPublish(store, NAME, "v2", 7L);
        Path v3 = TinyRecipe.trainAndPublish(store, NAME, "v3", 3L);
        flipOneByte(v3.resolve(EmotionModel.WEIGHTS));
        StoreModelSource startsOnV1 = StoreModelSource.resolve(store, NAME, "v1");
        String bootstrap = KAFKA.bootstrapServers();
        JobConfig config = PipelineFixture.config(bootstrap, "hotswap", startsOnV1, false);
        PipelineFixture.createTopics(bootstrap, config);
        String[] control = {"--bootstrap-servers", bootstrap, "--topic", config.modelControlTopic(), "--status-topic",
                config.modelStatusTopic(), "--model-store", store.toString(), "--wait", "120"};

        SteadyProducer producer = new SteadyProducer(bootstrap, config.postsTopic(), PipelineFixture.posts(50_000), POSTS_PER_SECOND);
        producer.start();
        String savepoint;
        long stoppedFirstJobMillis;
        JobClient first = PipelineFixture.start(config, startsOnV1, null, "model hot-swap IT");
        try {
            awaitOutput(config, o -> count(o, "v1") >= EVENTS_PER_PHASE, "events labelled v1");

            // 1. ACTIVATE v2 mid-stream.
            assertEquals(0, PipelineFixture.modelCli(control, "activate", NAME, "v2"), "ACTIVATE v2 confirmed ACTIVE on every subtask");
            awaitOutput(config, o -> count(o, "v2") >= EVENTS_PER_PHASE, "events labelled v2");
            List<ModelStatus> activeV2 = awaitStatuses(config, first, ModelState.ACTIVE, "v2", ModelTrigger.ACTIVATE);
            activeV2.forEach(s -> assertEquals("v1", s.getPreviousVersion(), s.toString()));

            // 2. A tampered v3 is refused everywhere; v2 keeps serving.
            assertEquals(1, PipelineFixture.modelCli(control, "activate", "--no-local-check", NAME, "v3"), "the job refuses the tampered v3");
            List<ModelStatus> refused = awaitStatuses(config, first, ModelState.REFUSED, "v3", ModelTrigger.ACTIVATE);
            for (ModelStatus s : refused) {
                assertTrue(s.getReason().contains("sha256 mismatch") && s.getReason().contains("model.params"), s.getReason());
                assertEquals("v2", s.getPreviousVersion(), "the version that keeps serving");
            }
            long afterRefusal = count(PipelineFixture.readCommitted(bootstrap, config), "v2");
            awaitOutput(config, o -> count(o, "v2") >= afterRefusal + EVENTS_PER_PHASE, "more events on v2 after the refusal");

            // 3. Stop with a savepoint (no drain: the job is meant to continue).
            savepoint = first.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(3, TimeUnit.MINUTES);
            stoppedFirstJobMillis = System.currentTimeMillis();
        } finally {
            PipelineFixture.cancelIfRunning(first);
        }

        // The new job is configured with v1, but restored state says v2.
        JobClient second = PipelineFixture.start(config, startsOnV1, savepoint, "model hot-swap IT");
        long rollbackMillis;
        try {
            List<ModelStatus> restored = awaitStatuses(config, second, ModelState.ACTIVE, "v2", ModelTrigger.RESTORE);
            assertEquals(2, restored.size());
            awaitStatuses(config, second, ModelState.REFUSED, "v3", ModelTrigger.RESTORE);
            long atRestart = count(PipelineFixture.readCommitted(bootstrap, config), "v2");
            awaitOutput(config, o -> count(o, "v2") >= atRestart + EVENTS_PER_PHASE, "events on v2 after the restore");

            // 4. ROLLBACK without a version: the CLI finds v1 on the status topic.
            rollbackMillis = System.currentTimeMillis();
            assertEquals(0, PipelineFixture.modelCli(control, "rollback", NAME), "ROLLBACK to v1 confirmed ACTIVE on every subtask");
            awaitStatuses(config, second, ModelState.ACTIVE, "v1", ModelTrigger.ROLLBACK);
            awaitOutput(config, o -> o.events().stream().filter(e -> e.getModelVersion().equals("v1")
                    && e.getProcessedAt().toEpochMilli() > rollbackMillis).count() >= EVENTS_PER_PHASE, "events on v1 after the rollback");

            producer.stop();
            int sent = producer.sent().size();
            awaitOutput(config, o -> o.events().size() >= sent, "all " + sent + " posts labelled");
            second.stopWithSavepoint(true, savepoints.toUri().toString(), SavepointFormatType.CANONICAL).get(3, TimeUnit.MINUTES);
        } finally {
            producer.stop();
            PipelineFixture.cancelIfRunning(second);
        }

        PipelineFixture.Output out = PipelineFixture.readCommitted(bootstrap, config);
        assertTrue(out.deadLetters().isEmpty(), () -> "no post given up: " + out.deadLetters());

        // Exactly once: every post sent, once, nothing else.
        List<String> ids = new ArrayList<>(out.eventIds());
        ids.sort(null);
        List<String> expected = new ArrayList<>(producer.sent().keySet());
        expected.sort(null);
        assertEquals(expected.size(), new HashSet<>(ids).size(), "every post labelled");
        assertEquals(expected, ids, "each post exactly once");

        // Per subtask (each reads one posts partition, in offset order): v1, then v2 once and for all until the
        // rollback, then v1. A version that switched back and forth would show more runs.
        Map<Integer, TreeMap<Long, String>> byPartition = new TreeMap<>();
        for (EmotionEvent e : out.events()) {
            long[] at = producer.sent().get(e.getPostId());
            byPartition.computeIfAbsent((int) at[0], p -> new TreeMap<>()).put(at[1], e.getModelVersion());
        }
        assertEquals(2, byPartition.size(), "both partitions carried posts");
        byPartition.forEach((partition, versions) -> assertEquals(List.of("v1", "v2", "v1"), runs(versions.values()),
                "partition " + partition + ": versions in source order"));

        // No v1 label between the restore and the rollback: the restored job served v2 from its first post.
        long v1BetweenRestoreAndRollback = out.events().stream().filter(e -> e.getModelVersion().equals("v1")
                && e.getProcessedAt().toEpochMilli() > stoppedFirstJobMillis && e.getProcessedAt().toEpochMilli() < rollbackMillis).count();
        assertEquals(0, v1BetweenRestoreAndRollback, "the restored job serves the version that was active");

        Gap gap = gapAroundFirstSwitch(out.events(), stoppedFirstJobMillis);
        System.out.printf("ModelHotSwapIT: longest output gap around the v1 -> v2 switch: %d ms (%s .. %s); longest gap elsewhere"
                        + " in the first job's steady stream: %d ms; %d events in total%n", gap.aroundSwitchMillis(), gap.from(), gap.to(),
                gap.beforeMillis(), out.events().size());
        assertTrue(gap.aroundSwitchMillis() < GAP_BOUND.toMillis(), () -> "the swap paused the output for " + gap.aroundSwitchMillis() + " ms");
    }

    // ---------------------------------------------------------------------------------------------------------------



    private static long count(PipelineFixture.Output out, String version) {
        return out.events().stream().filter(e -> e.getModelVersion().equals(version)).count();
    }

    private static void awaitOutput(JobConfig config, Predicate<PipelineFixture.Output> done, String what) throws Exception {
        PipelineFixture.Output out = PipelineFixture.awaitOutput(KAFKA.bootstrapServers(), config, done, what, PHASE_TIMEOUT);
        System.out.println("ModelHotSwapIT: " + what + ": committed " + PipelineFixture.versions(out));
    }

    /** The reports of {@code job}'s subtasks with that state, version and trigger, once every subtask has one. */
    private static List<ModelStatus> awaitStatuses(JobConfig config, JobClient job, ModelState state, String version,
                                                   ModelTrigger trigger) throws Exception {
        ModelStatusReader reader = new ModelStatusReader(KAFKA.bootstrapServers(), config.modelStatusTopic());
        long deadline = System.nanoTime() + PHASE_TIMEOUT.toNanos();
        while (true) {
            List<ModelStatus> all = reader.readAll();
            List<ModelStatus> matching = all.stream()
                    .filter(s -> s.getJobId().equals(job.getJobID().toString()) && s.getState() == state
                            && s.getVersion().equals(version) && s.getTrigger() == trigger)
                    .toList();
            Set<Integer> subtasks = matching.stream().map(ModelStatus::getSubtask).collect(Collectors.toSet());
            if (subtasks.size() == config.parallelism()) {
                return matching;
            }
            assertTrue(System.nanoTime() < deadline, () -> "no " + state + " " + version + " (" + trigger + ") from every subtask: " + all);
            Thread.sleep(500);
        }
    }

    /** The versions in order with repeats collapsed: [v1, v1, v2, v2, v1] -> [v1, v2, v1]. */
    private static List<String> runs(Iterable<String> versions) {
        List<String> runs = new ArrayList<>();
        for (String v : versions) {
            if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(v)) {
                runs.add(v);
            }
        }
        return runs;
    }

    record Gap(long aroundSwitchMillis, Instant from, Instant to, long beforeMillis) {}

    /**
     * Output times ({@code processed_at}) of the first job, in order: the longest pause between two consecutive events
     * within 5 s either side of the first v2 event, and for comparison the longest one elsewhere in that job's steady
     * stream (its first events, while the job warms up, excluded).
     */
    private static Gap gapAroundFirstSwitch(List<EmotionEvent> events, long firstJobStoppedMillis) {
        List<EmotionEvent> firstJob = events.stream().filter(e -> e.getProcessedAt().toEpochMilli() < firstJobStoppedMillis)
                .sorted(Comparator.comparing(EmotionEvent::getProcessedAt)).toList();
        Instant switchAt = firstJob.stream().filter(e -> e.getModelVersion().equals("v2")).findFirst().orElseThrow().getProcessedAt();
        Instant windowStart = switchAt.minusSeconds(5);
        Instant windowEnd = switchAt.plusSeconds(5);
        long around = 0;
        long elsewhere = 0;
        Instant from = null;
        Instant to = null;
        for (int i = 21; i < firstJob.size(); i++) {
            Instant a = firstJob.get(i - 1).getProcessedAt();
            Instant b = firstJob.get(i).getProcessedAt();
            long gap = b.toEpochMilli() - a.toEpochMilli();
            if (b.isAfter(windowStart) && a.isBefore(windowEnd)) {
                if (gap > around) {
                    around = gap;
                    from = a;
                    to = b;
                }
            } else {
                elsewhere = Math.max(elsewhere, gap);
            }
        }
        return new Gap(around, from, to, elsewhere);
    }

    private static void flipOneByte(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);
    }

    /**
     * Sends the posts at a fixed rate from its own thread (idempotent, acks=all) and remembers where each one landed:
     * id -> {partition, offset}.
     */
    static final class SteadyProducer {
        private final Properties props = new Properties();
        private final String topic;
        private final List<SocialPost> posts;
        private final double rate;
        private final Map<String, long[]> sent = new ConcurrentHashMap<>();
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private volatile boolean stop;
        private Thread thread;

        SteadyProducer(String bootstrap, String topic, List<SocialPost> posts, double rate) {
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            this.topic = topic;
            this.posts = posts;
            this.rate = rate;
        }

        void start() {
            thread = new Thread(this::run, "steady-posts");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            AvroCodec<SocialPost> codec = new AvroCodec<>(SocialPost.class);
            long intervalNanos = (long) (1e9 / rate);
            long started = System.nanoTime();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < posts.size() && !stop; i++) {
                    long wait = started + i * intervalNanos - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    SocialPost post = posts.get(i);
                    producer.send(new ProducerRecord<>(topic, post.getId().getBytes(StandardCharsets.UTF_8), codec.encode(post)),
                            (md, e) -> {
                                if (e != null) {
                                    failure.compareAndSet(null, e);
                                } else {
                                    sent.put(post.getId(), new long[] {md.partition(), md.offset()});
                                }
                            });
                }
                producer.flush();
            } catch (Exception e) {
                failure.compareAndSet(null, e);
            }
        }

        /** Stops sending and waits until every post sent is acknowledged. */
        void stop() throws InterruptedException {
            stop = true;
            if (thread != null) {
                thread.join();
            }
            assertTrue(failure.get() == null, () -> "sending posts failed: " + failure.get());
        }

        /** Acknowledged posts: id -> {partition, offset}. */
        Map<String, long[]> sent() {
            return sent;
        }
    }
}
