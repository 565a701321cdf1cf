package com.emotionmonitor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.job.JobConfig;
import com.emotionmonitor.job.model.RolloutSampling;
import com.emotionmonitor.job.model.StoreModelSource;
import com.emotionmonitor.job.ops.Scopes;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.schema.EmotionEvent;
import com.emotionmonitor.schema.EmotionStats;
import com.emotionmonitor.schema.ModelComparison;
import com.emotionmonitor.schema.ModelRole;
import com.emotionmonitor.schema.ModelState;
import com.emotionmonitor.schema.ModelStatus;
import com.emotionmonitor.schema.ModelTrigger;
import com.emotionmonitor.schema.SocialPost;
import com.emotionmonitor.schema.StatsKind;
import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.testkit.EmbeddedKafkaExtension;
import com.emotionmonitor.testkit.MiniClusters;
import com.emotionmonitor.text.PreparedText;
import com.emotionmonitor.tools.ModelStatusReader;
import com.emotionmonitor.train.TinyRecipe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shadow and canary rollouts end to end: Flink MiniCluster, the real in-process KRaft broker, two real tiny versions
 * trained here, every command sent with {@code bin/emotion model} in-process and confirmed on every subtask.
 *
 * <ol>
 *   <li>Serve v1, {@code model shadow v2} on every post: each post is still exactly one event, stamped v1; the
 *       comparison records of those posts add up to them, their serving side is the events' labels and their shadow
 *       side v2's own labels of the same texts.
 *   <li>{@code model promote}: the events switch to v2.
 *   <li>{@code model rollback} to v1, then {@code model canary v2 --fraction 0.25}: 25% +- 3% of the posts are stamped
 *       v2, exactly those the post id hash picks.
 *   <li>Stop with a savepoint, restore: the canary runs again (from state) and the same post ids sent again get the
 *       same versions.
 * </ol>
 */
class ShadowCanaryIT {

    private static final String NAME = "tiny-emotion";
    private static final int SHADOWED = 300;
    private static final int PROMOTED = 150;
    private static final int CANARY = 1200;
    private static final double CANARY_FRACTION = 0.25;
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.loopback(2);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void shadowComparesWithoutChangingEventsPromoteSwitchesAndACanaryKeepsItsPostsAcrossARestore(
            @TempDir Path store, @TempDir Path savepoints) throws Exception {
        TinyRecipe.trainAndPublish(store, NAME, "v1", 42L);
        Path v2Dir = TinyRecipe.trainAndPublish(store, NAME, "v2", 7L);
        StoreModelSource v1 = StoreModelSource.resolve(store, NAME, "v1");
        String bootstrap = KAFKA.bootstrapServers();
        JobConfig config = PipelineFixture.config(bootstrap, "rollout", v1, false);
        PipelineFixture.createTopics(bootstrap, config);
        String[] control = {"--bootstrap-servers", bootstrap, "--topic", config.modelControlTopic(), "--status-topic",
                config.modelStatusTopic(), "--model-store", store.toString(), "--wait", "120"};

        // Event times run on across the batches (one second apart), so no post is ever late for its window.
        List<SocialPost> all = PipelineFixture.posts(SHADOWED + PROMOTED + 2 * CANARY);
        List<SocialPost> shadowed = renamed(all.subList(0, SHADOWED), "shadowed-");
        List<SocialPost> promoted = renamed(all.subList(SHADOWED, SHADOWED + PROMOTED), "promoted-");
        List<SocialPost> canary = renamed(all.subList(SHADOWED + PROMOTED, SHADOWED + PROMOTED + CANARY), "canary-");
        List<SocialPost> canaryAgain = renamed(all.subList(SHADOWED + PROMOTED + CANARY, all.size()), "canary-");

        JobClient first = PipelineFixture.start(config, v1, null, "shadow and canary IT");
        String savepoint;
        int eventsOfFirstJob;
        Set<String> onV2Before;
        try {
            // 1. A shadow on every post.
            assertEquals(0, PipelineFixture.modelCli(control, "shadow", NAME, "v2", "--fraction", "1"), "SHADOW v2 running on every subtask");
            PipelineFixture.produce(bootstrap, config.postsTopic(), shadowed, List.of());
            List<EmotionEvent> shadowedEvents = awaitBatch(config, "shadowed-", SHADOWED);
            assertTrue(shadowedEvents.stream().allMatch(e -> e.getModelVersion().equals("v1")),
                    () -> "a shadow changes no event: " + versions(shadowedEvents));

            // 2. Promote: v2 serves.
            assertEquals(0, PipelineFixture.modelCli(control, "promote", NAME), "PROMOTE (the candidate read from the status topic) ACTIVE everywhere");
            PipelineFixture.produce(bootstrap, config.postsTopic(), promoted, List.of());
            List<EmotionEvent> promotedEvents = awaitBatch(config, "promoted-", PROMOTED);
            assertEquals(Map.of("v2", (long) PROMOTED), versions(promotedEvents), "every post on v2 after the promotion");

            // 3. Back to v1, then a canary of v2 on a quarter of the posts.
            assertEquals(0, PipelineFixture.modelCli(control, "rollback", NAME), "ROLLBACK to v1");
            assertEquals(0, PipelineFixture.modelCli(control, "canary", NAME, "v2", "--fraction", Double.toString(CANARY_FRACTION)), "CANARY v2");
            PipelineFixture.produce(bootstrap, config.postsTopic(), canary, List.of());
            List<EmotionEvent> canaryEvents = awaitBatch(config, "canary-", CANARY);
            Set<String> onV2 = idsOn(canaryEvents, "v2");
            double share = onV2.size() / (double) CANARY;
            System.out.printf("ShadowCanaryIT: canary at %.2f stamped %d of %d posts with v2 (%.3f)%n", CANARY_FRACTION,
                    onV2.size(), CANARY, share);
            assertEquals(CANARY_FRACTION, share, 0.03, "25% +- 3% of the posts on the canary");
            assertEquals(canary.stream().map(SocialPost::getId).filter(id -> RolloutSampling.sampled(id, CANARY_FRACTION))
                    .collect(Collectors.toSet()), onV2, "exactly the posts the id hash picks");
            assertEquals(CANARY - onV2.size(), idsOn(canaryEvents, "v1").size(), "the rest on the serving version");
            onV2Before = onV2;

            eventsOfFirstJob = PipelineFixture.readCommitted(bootstrap, config).events().size();
            savepoint = first.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(3, TimeUnit.MINUTES);
        } finally {
            PipelineFixture.cancelIfRunning(first);
        }

        // 4. Restored (configured with v1, and the state says v1 serves with the canary of v2 beside it).
        JobClient second = PipelineFixture.start(config, v1, savepoint, "shadow and canary IT");
        try {
            awaitStatuses(config, second, ModelRole.CANARY, ModelTrigger.RESTORE);
            PipelineFixture.produce(bootstrap, config.postsTopic(), canaryAgain, List.of());
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            List<EmotionEvent> again;
            do {
                List<EmotionEvent> events = PipelineFixture.readCommitted(bootstrap, config).events();
                again = canaryEventsOf(events, eventsOfFirstJob, events.size());
                assertTrue(System.nanoTime() < deadline, "the restored job labelled " + again.size() + " of " + CANARY);
                Thread.sleep(250);
            } while (again.size() < CANARY);
            assertEquals(CANARY, again.stream().map(EmotionEvent::getPostId).distinct().count(), "each post sent again once");
            assertEquals(onV2Before, idsOn(again, "v2"), "the same posts on the canary after the restore");
            second.stopWithSavepoint(true, savepoints.toUri().toString(), SavepointFormatType.CANONICAL).get(3, TimeUnit.MINUTES);
        } finally {
            PipelineFixture.cancelIfRunning(second);
        }

        PipelineFixture.Output out = PipelineFixture.readCommitted(bootstrap, config);
        assertTrue(out.deadLetters().isEmpty(), () -> "no post given up: " + out.deadLetters());
        Map<String, Long> perId = out.events().stream().collect(Collectors.groupingBy(EmotionEvent::getPostId, Collectors.counting()));
        assertEquals(SHADOWED + PROMOTED + CANARY, perId.size(), "every post labelled");
        perId.forEach((id, n) -> assertEquals(id.startsWith("canary-") ? 2 : 1, n, id + ": one event per post sent"));

        // The comparisons: v1 against v2 on the shadowed posts, and only on them.
        List<ModelComparison> global = out.comparisons().stream().filter(c -> c.getScope().equals(Scopes.GLOBAL)).toList();
        assertTrue(out.comparisons().stream().allMatch(c -> c.getServingVersion().equals("v1") && c.getShadowVersion().equals("v2")),
                "one pair of versions compared");
        List<ModelComparison> counted = newestRevisions(global);
        long compared = counted.stream().mapToLong(ModelComparison::getCompared).sum();
        assertEquals(SHADOWED, compared, "the comparison counts add up to the posts shadowed: " + describe(global));
        for (ModelComparison c : out.comparisons()) {
            long cells = c.getConfusion().stream().flatMap(List::stream).mapToLong(Long::longValue).sum();
            assertEquals(c.getCompared(), cells, "compared = the sum of the 6 x 6 confusion");
            assertTrue(c.getAgreed() <= c.getCompared() && c.getDisagreements().size() <= config.exampleIds());
        }
        long[] servingSide = new long[6];
        long[] shadowSide = new long[6];
        for (ModelComparison c : counted) {
            add(servingSide, com.emotionmonitor.job.ops.EmotionStatsFields.counts(c.getServingCounts()));
            add(shadowSide, com.emotionmonitor.job.ops.EmotionStatsFields.counts(c.getShadowCounts()));
        }
        long[] servingLabels = new long[6];
        out.events().stream().filter(e -> e.getPostId().startsWith("shadowed-")).forEach(e -> servingLabels[e.getEmotion().ordinal()]++);
        assertEquals(box(servingLabels), box(servingSide), "the serving side is what the events say");
        assertEquals(box(labelsOf(v2Dir, shadowed)), box(shadowSide), "the shadow side is v2's own labels");
        System.out.printf("ShadowCanaryIT: %d comparison records (%d global), %d posts compared, agreement %.3f%n",
                out.comparisons().size(), global.size(), compared,
                counted.stream().mapToLong(ModelComparison::getAgreed).sum() / (double) compared);

        // Drift: both tiny versions record their training mix, so every global window of model-labelled posts has a figure.
        List<EmotionStats> windows = out.stats().stream()
                .filter(s -> s.getScope().equals(Scopes.GLOBAL) && s.getKind() == StatsKind.WINDOW).toList();
        assertTrue(!windows.isEmpty());
        for (EmotionStats s : windows) {
            assertNotNull(s.getDrift(), () -> "a drift figure in " + s);
            assertTrue(s.getDrift() >= 0 && s.getDrift() <= 1 && s.getDriftReference().size() == 6, s.toString());
        }
    }

    // ---------------------------------------------------------------------------------------------------------------



    /** The posts with ids {@code prefix0, prefix1, ...} (texts and event times as given). */
    private static List<SocialPost> renamed(List<SocialPost> posts, String prefix) {
        List<SocialPost> out = new ArrayList<>();
        for (int i = 0; i < posts.size(); i++) {
            out.add(SocialPost.newBuilder(posts.get(i)).setId(prefix + i).build());
        }
        return out;
    }

    /** Waits until {@code n} events of posts {@code prefix*} are committed (no more may come); returns them. */
    private static List<EmotionEvent> awaitBatch(JobConfig config, String prefix, int n) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            List<EmotionEvent> batch = PipelineFixture.readCommitted(KAFKA.bootstrapServers(), config).events().stream()
                    .filter(e -> e.getPostId().startsWith(prefix)).toList();
            if (batch.size() >= n) {
                assertEquals(n, batch.size(), "one event per post of " + prefix);
                assertEquals(n, batch.stream().map(EmotionEvent::getPostId).distinct().count());
                return batch;
            }
            assertTrue(System.nanoTime() < deadline, "only " + batch.size() + " of " + n + " " + prefix + " events within " + TIMEOUT);
            Thread.sleep(250);
        }
    }

    /** The canary posts' events among {@code events[from, to)} (the events topic has one partition: commit order). */
    private static List<EmotionEvent> canaryEventsOf(List<EmotionEvent> events, int from, int to) {
        return events.subList(from, to).stream().filter(e -> e.getPostId().startsWith("canary-")).toList();
    }

    private static Set<String> idsOn(List<EmotionEvent> events, String version) {
        return events.stream().filter(e -> e.getModelVersion().equals(version)).map(EmotionEvent::getPostId)
                .collect(Collectors.toSet());
    }

    private static Map<String, Long> versions(List<EmotionEvent> events) {
        return events.stream().collect(Collectors.groupingBy(EmotionEvent::getModelVersion, TreeMap::new, Collectors.counting()));
    }

    /** Every subtask of {@code job} reports a candidate of {@code role} ACTIVE because of {@code trigger}. */
    private static void awaitStatuses(JobConfig config, JobClient job, ModelRole role, ModelTrigger trigger) throws Exception {
        ModelStatusReader reader = new ModelStatusReader(KAFKA.bootstrapServers(), config.modelStatusTopic());
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            List<ModelStatus> all = reader.readAll();
            long subtasks = all.stream().filter(s -> s.getJobId().equals(job.getJobID().toString()) && s.getRole() == role
                    && s.getState() == ModelState.ACTIVE && s.getTrigger() == trigger).map(ModelStatus::getSubtask).distinct().count();
            if (subtasks == config.parallelism()) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, () -> "no " + role + " " + trigger + " from every subtask: " + all);
            Thread.sleep(500);
        }
    }

    /** The newest revision of each WINDOW comparison (per window and version pair) plus every LATE one. */
    private static List<ModelComparison> newestRevisions(List<ModelComparison> comparisons) {
        Map<String, ModelComparison> newest = new HashMap<>();
        List<ModelComparison> out = new ArrayList<>();
        for (ModelComparison c : comparisons) {
            if (c.getKind() == StatsKind.LATE) {
                out.add(c);
            } else {
                newest.merge(c.getWindowStart() + " " + c.getServingVersion() + " " + c.getShadowVersion(), c,
                        (a, b) -> a.getRevision() >= b.getRevision() ? a : b);
            }
        }
        out.addAll(newest.values());
        return out;
    }

    /** v2's labels of the posts' texts, counted per emotion, labelled here outside the job (empty posts: NEUTRAL by rule). */
    private static long[] labelsOf(Path version, List<SocialPost> posts) {
        long[] counts = new long[6];
        try (EmotionModel model = EmotionModel.load(version, "cpu")) {
            List<com.emotionmonitor.text.Encoding> encodings = new ArrayList<>();
            for (SocialPost p : posts) {
                PreparedText t = model.textPipeline().prepare(p.getText());
                if (t.isEmpty()) {
                    counts[Prediction.emptyText().emotion().ordinal()]++;
                } else {
                    encodings.add(t.encoding());
                }
            }
            for (com.emotionmonitor.text.Encoding e : encodings) { // one at a time, as a batch of one: no padding at all
                counts[model.predict(List.of(e)).get(0).emotion().ordinal()]++;
            }
        }
        return counts;
    }

    private static void add(long[] into, long[] c) {
        for (int i = 0; i < into.length; i++) {
            into[i] += c[i];
        }
    }

    private static List<Long> box(long[] c) {
        return java.util.Arrays.stream(c).boxed().toList();
    }

    private static String describe(List<ModelComparison> global) {
        StringBuilder b = new StringBuilder();
        global.forEach(c -> b.append(String.format("%n  %s %s r%d compared %d", c.getKind(), c.getWindowStart(), c.getRevision(),
                c.getCompared())));
        return b.toString();
    }
}
