package com.emotionmonitor.job.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.job.TestPosts;
import com.emotionmonitor.job.io.ReceivedPost;
import com.emotionmonitor.job.model.LoadedModel;
import com.emotionmonitor.job.model.ModelLease;
import com.emotionmonitor.job.model.ModelRegistry;
import com.emotionmonitor.store.ClassifierRequirements;
import com.emotionmonitor.job.model.ModelTarget;
import com.emotionmonitor.job.model.ModelTrust;
import com.emotionmonitor.job.model.TestModelSource;
import com.emotionmonitor.testkit.TinyModelStore;
import com.emotionmonitor.job.model.VerifyingModelLoader;
import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.schema.ModelAction;
import com.emotionmonitor.job.model.RolloutSampling;
import com.emotionmonitor.schema.ModelCommand;
import com.emotionmonitor.schema.ModelRole;
import com.emotionmonitor.schema.RolloutStep;
import com.emotionmonitor.schema.ModelState;
import com.emotionmonitor.schema.ModelStatus;
import com.emotionmonitor.schema.ModelTrigger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model router through Flink's broadcast operator harness, with real tiny model versions: stamping and
 * preprocessing with the serving version's pipeline, the switch after a background load (the old version serves
 * meanwhile, then never again), refusals, and the broadcast state that makes a restored job serve the commanded version.
 */
class ModelRouterFunctionTest {

    private static final ClassifierRequirements JOB = ClassifierRequirements.emotions(4096);

    @Test
    void stampsEveryPostWithTheServingVersionAndTokenizesWithItsPipeline() throws Exception {
        ModelRegistry registry = new ModelRegistry("router-test", new VerifyingModelLoader("cpu"));
        try (BroadcastOperatorTestHarness<ReceivedPost, ModelCommand, PostToClassify> h = open(registry, null);
             ModelLease reference = registry.prepare(TestModelSource.storeTarget(TinyModelStore.root(), TinyModelStore.NAME, "v1"), JOB).get(1, TimeUnit.MINUTES)) {
            ReceivedPost post = TestPosts.received("p1", "#高考# 今天太开心了哈哈 http://t.cn/A6abc", 11);
            h.processElement(post, 5L);
            h.processElement(TestPosts.received("url-only", "http://t.cn/A6vXyZ12", 12), 6L);
            List<PostToClassify> out = h.extractOutputValues();
            assertEquals(2, out.size(), "posts in == posts out");
            PostToClassify p = out.get(0);
            assertEquals(post, p.received);
            assertEquals(TinyModelStore.NAME, p.modelName);
            assertEquals("v1", p.modelVersion);
            assertArrayEquals(new String[] {"高考"}, p.topics);
            assertArrayEquals(reference.textPipeline().prepare(post.post.getText()).encoding().ids(), p.tokenIds,
                    "serving must tokenize exactly as the version's own pipeline does");
            assertTrue(out.get(1).emptyText, "empty after cleaning: flagged, not dropped");
            assertEquals(0, out.get(1).tokenIds.length);

            List<ModelStatus> statuses = statuses(h);
            assertEquals(1, statuses.size());
            assertEquals(ModelState.ACTIVE, statuses.get(0).getState());
            assertEquals(ModelTrigger.STARTUP, statuses.get(0).getTrigger());
            assertNull(statuses.get(0).getPreviousVersion());
        }
        assertTrue(registry.loaded().isEmpty(), "the router's lease is released on close: " + registry.loaded());
    }

    @Test
    void theOldVersionServesWhileTheNewOneLoadsThenThePostsSwitchOnceAndForAll() throws Exception {
        GatedLoader loader = new GatedLoader();
        ModelRegistry registry = new ModelRegistry("router-test", loader);
        try (BroadcastOperatorTestHarness<ReceivedPost, ModelCommand, PostToClassify> h = open(registry, null)) {
            loader.hold("v2");
            h.processBroadcastElement(command(ModelAction.ACTIVATE, "v2", true), 1L);
            assertEquals(List.of(ModelState.ACTIVE, ModelState.ACCEPTED), states(h));

            for (int i = 0; i < 20; i++) { // v2 is still loading: no post waits for it
                h.processElement(TestPosts.received("before-" + i, "好难过想哭", i), i);
            }
            assertTrue(versions(h).stream().allMatch("v1"::equals), "the old version keeps serving: " + versions(h));

            loader.release("v2");
            awaitVersion(h, "v2");
            for (int i = 0; i < 20; i++) {
                h.processElement(TestPosts.received("after-" + i, "好难过想哭", 100 + i), 100 + i);
            }
            List<String> versions = versions(h);
            int firstV2 = versions.indexOf("v2");
            assertTrue(versions.subList(0, firstV2).stream().allMatch("v1"::equals), versions.toString());
            assertTrue(versions.subList(firstV2, versions.size()).stream().allMatch("v2"::equals), "switched once, never back: " + versions);

            ModelStatus active = statuses(h).get(statuses(h).size() - 1);
            assertEquals(ModelState.ACTIVE, active.getState());
            assertEquals("v2", active.getVersion());
            assertEquals("v1", active.getPreviousVersion());
            assertEquals(ModelTrigger.ACTIVATE, active.getTrigger());
            assertTrue(active.getArtifactLocation().endsWith("v2"), active.getArtifactLocation());
            assertEquals(Instant.ofEpochMilli(1_000L), active.getCommandIssuedAt());
        }
        assertTrue(registry.loaded().isEmpty(), "both versions released once nothing uses them: " + registry.loaded());
    }

    @Test
    void aRefusedVersionChangesNothingButIsReported() throws Exception {
        ModelRegistry registry = new ModelRegistry("router-test", new VerifyingModelLoader("cpu"));
        Path tampered = TinyModelStore.tampered("v3-tampered");
        try (BroadcastOperatorTestHarness<ReceivedPost, ModelCommand, PostToClassify> h = open(registry, null)) {
            h.processBroadcastElement(command(ModelAction.ACTIVATE, tampered.getFileName().toString(), false), 1L);
            h.processBroadcastElement(ModelCommand.newBuilder(command(ModelAction.ACTIVATE, "v2", false))
                    .setVersion("").build(), 2L);
            ModelStatus refused = awaitStatus(h, ModelState.REFUSED, "v3-tampered");
            assertTrue(refused.getReason().contains("sha256 mismatch"), refused.getReason());
            assertEquals("v1", refused.getPreviousVersion(), "the version that keeps serving");
            assertTrue(statuses(h).stream().anyMatch(s -> s.getState() == ModelState.REFUSED && s.getVersion().isEmpty()
                    && s.getReason().contains("needs a model name and a version")), "a malformed command is refused too");
            assertTrue(versions(h).stream().allMatch("v1"::equals), versions(h).toString());
            assertEquals(2, count(h), "the start version and the well-formed command are remembered, the malformed one is not");
        }
    }

    @Test
    void aJobRestoredFromASnapshotServesTheNewestCommandedVersionThatVerifies() throws Exception {
        ModelRegistry registry = new ModelRegistry("router-test", new VerifyingModelLoader("cpu"));
        Path tampered = TinyModelStore.tampered("v3-tampered");
        OperatorSubtaskState snapshot;
        try (BroadcastOperatorTestHarness<ReceivedPost, ModelCommand, PostToClassify> h = open(registry, null)) {
            h.processBroadcastElement(command(ModelAction.ACTIVATE, "v2", true), 1L);
            awaitVersion(h, "v2");
            h.processBroadcastElement(command(ModelAction.ACTIVATE, tampered.getFileName().toString(), false), 2L);
            awaitStatus(h, ModelState.REFUSED, "v3-tampered");
            snapshot = h.snapshot(1L, 1L);
        }
        // Restored (even with v1 configured as the start version): v3 is refused again, v2 serves from the first post.
        try (BroadcastOperatorTestHarness<ReceivedPost, ModelCommand, PostToClassify> h = open(registry, snapshot)) {
            h.processElement(TestPosts.received("restored", "好难过想哭", 1), 1L);
            assertEquals(List.of("v2"), versions(h));
            List<ModelStatus> statuses = statuses(h);
            assertEquals(ModelState.REFUSED, statuses.get(0).getState());
            assertEquals("v3-tampered", statuses.get(0).getVersion());
            assertEquals(ModelState.ACTIVE, statuses.get(1).getState());
            assertEquals("v2", statuses.get(1).getVersion());
            assertEquals(ModelTrigger.RESTORE, statuses.get(1).getTrigger());

            // ROLLBACK names the version to return to; it is verified like any other.
            h.processBroadcastElement(command(ModelAction.ROLLBACK, "v1", true), 3L);
            awaitVersion(h, "v1");
            ModelStatus back = awaitStatus(h, ModelState.ACTIVE, "v1");
            assertEquals(ModelTrigger.ROLLBACK, back.getTrigger());
            assertEquals("v2", back.getPreviousVersion());
        }
    }

    @Test
    void aCommandOutsideTheStoreOrWithoutAPinIsRefusedAndTheServingVersionStays(@TempDir java.nio.file.Path elsewhere)
            throws Exception {
        ModelRegistry registry = new ModelRegistry("router-test", new VerifyingModelLoader("cpu"));
        ModelTrust trust = ModelTrust.of(TinyModelStore.root(), List.of(), true, null);
        ModelRouterFunction router = new ModelRouterFunction(new TestModelSource(registry, TinyModelStore.root(),
                TestModelSource.storeTarget(TinyModelStore.root(), TinyModelStore.NAME, "v1"), trust), JOB);
        try (BroadcastOperatorTestHarness<ReceivedPost, ModelCommand, PostToClassify> h = new BroadcastOperatorTestHarness<>(
                new CoBroadcastWithNonKeyedOperator<>(router, ModelRouterFunction.BROADCAST_STATES), 1, 1, 0)) {
            h.setup();
            h.open();
            ModelCommand outside = ModelCommand.newBuilder(command(ModelAction.ACTIVATE, "v2", true))
                    .setArtifactLocation(elsewhere.toUri().toString()).build();
            h.processBroadcastElement(outside, 1L);
            h.processBroadcastElement(command(ModelAction.ACTIVATE, "v2", false), 2L);
            List<ModelStatus> refused = h.getSideOutput(ModelRouterFunction.STATUS).stream().map(r -> r.getValue())
                    .filter(s -> s.getState() == ModelState.REFUSED).toList();
            assertEquals(2, refused.size(), () -> "both refused: " + refused);
            assertTrue(refused.get(0).getReason().contains("outside the model store roots"), refused.get(0).getReason());
            assertTrue(refused.get(1).getReason().contains("model.require-sha256"), refused.get(1).getReason());
            refused.forEach(s -> assertEquals("v1", s.getPreviousVersion(), "v1 keeps serving"));
            h.processElement(TestPosts.received("after", "居然下雪了好惊讶", 1), 3L);
            assertEquals(List.of("v1"), versions(h));
        }
    }

    @Test
    void noVersionThatVerifiesMeansTheJobCannotStart() {
        ModelRegistry registry = new ModelRegistry("router-test", new VerifyingModelLoader("cpu"));
        ModelTarget missing = TestModelSource.storeTarget(TinyModelStore.root(), TinyModelStore.NAME, "v404");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> open(registry, null, missing).close());
        assertTrue(e.getMessage().contains("v404") && e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void aShadowLabelsItsSampledPostsBesideTheServingVersionWhichStillStampsEveryPost() throws Exception {
        ModelRegistry registry = new ModelRegistry("router-test", new VerifyingModelLoader("cpu"));
        try (BroadcastOperatorTestHarness<ReceivedPost, ModelCommand, PostToClassify> h = open(registry, null);
             ModelLease v2 = registry.prepare(TestModelSource.storeTarget(TinyModelStore.root(), TinyModelStore.NAME, "v2"), JOB)
                     .get(1, TimeUnit.MINUTES)) {
            h.processBroadcastElement(rollout(RolloutStep.SHADOW, "v2", 0.5), 1L);
            ModelStatus active = awaitStatus(h, ModelState.ACTIVE, "v2");
            assertEquals(ModelRole.SHADOW, active.getRole());
            assertEquals(0.5, active.getFraction());
            assertEquals(ModelTrigger.SHADOW, active.getTrigger());
            assertEquals("v1", active.getPreviousVersion(), "the serving version it runs beside");
            h.getOutput().clear();

            List<String> sampled = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String id = "post-" + i;
                h.processElement(TestPosts.received(id, "#高考# 好难过想哭 " + i, i), i);
                if (RolloutSampling.sampled(id, 0.5)) {
                    sampled.add(id);
                }
            }
            List<PostToClassify> out = h.extractOutputValues();
            assertEquals(200, out.size(), "posts in == posts out: a shadow adds no post");
            assertTrue(out.stream().allMatch(p -> p.modelVersion.equals("v1") && !p.canary), "the serving version stamps all");
            List<String> shadowed = out.stream().filter(PostToClassify::shadowed).map(PostToClassify::postId).toList();
            assertEquals(sampled, shadowed, "exactly the posts the id hash picks");
            assertTrue(shadowed.size() > 70 && shadowed.size() < 130, "about half: " + shadowed.size());
            PostToClassify one = out.stream().filter(PostToClassify::shadowed).findFirst().orElseThrow();
            assertEquals("v2", one.shadowModelVersion);
            assertArrayEquals(v2.textPipeline().prepare(one.received.post.getText()).encoding().ids(), one.shadowTokenIds,
                    "the shadow's tokens come from its own pipeline");

            // STOP: the shadow ends everywhere, posts go back to the plain path.
            h.processBroadcastElement(rollout(RolloutStep.STOP, "", null), 2L);
            ModelStatus stopped = awaitStatus(h, ModelState.STOPPED, "v2");
            assertEquals(ModelTrigger.STOP, stopped.getTrigger());
            assertEquals(ModelRole.SHADOW, stopped.getRole());
            h.getOutput().clear();
            for (int i = 0; i < 50; i++) {
                h.processElement(TestPosts.received("after-" + i, "好难过想哭", 300 + i), 300 + i);
            }
            assertTrue(h.extractOutputValues().stream().noneMatch(PostToClassify::shadowed), "no shadow after STOP");
            assertEquals(0, entries(h.getBroadcastState(ModelRouterFunction.ROLLOUT)), "the rollout state is empty again");
        }
        assertTrue(registry.loaded().isEmpty(), "both versions released: " + registry.loaded());
    }

    @Test
    void aCanaryStampsItsShareWithTheCandidateTheSamePostsAfterARestoreThenPromoteMakesItServe() throws Exception {
        ModelRegistry registry = new ModelRegistry("router-test", new VerifyingModelLoader("cpu"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            ids.add("p" + i);
        }
        OperatorSubtaskState snapshot;
        List<String> canaryBefore;
        try (BroadcastOperatorTestHarness<ReceivedPost, ModelCommand, PostToClassify> h = open(registry, null)) {
            h.processBroadcastElement(rollout(RolloutStep.CANARY, "v2", 0.25), 1L);
            assertEquals(ModelRole.CANARY, awaitStatus(h, ModelState.ACTIVE, "v2").getRole());
            h.getOutput().clear();
            canaryBefore = stampedWith(h, ids, "v2");
            snapshot = h.snapshot(1L, 1L);
        }
        assertEquals(ids.stream().filter(id -> RolloutSampling.sampled(id, 0.25)).toList(), canaryBefore);
        assertTrue(Math.abs(canaryBefore.size() / 400.0 - 0.25) < 0.05, "about a quarter: " + canaryBefore.size());

        try (BroadcastOperatorTestHarness<ReceivedPost, ModelCommand, PostToClassify> h = open(registry, snapshot)) {
            // Restored: the canary runs from the first post on (loaded before any post), on the same posts.
            List<String> canaryAfter = stampedWith(h, ids, "v2");
            assertEquals(canaryBefore, canaryAfter, "a post gets the same version across a restore");
            ModelStatus restored = statuses(h).stream().filter(s -> s.getRole() == ModelRole.CANARY).findFirst().orElseThrow();
            assertEquals(ModelTrigger.RESTORE, restored.getTrigger());
            assertEquals(ModelState.ACTIVE, restored.getState());
            assertTrue(h.extractOutputValues().stream().filter(p -> p.modelVersion.equals("v2")).allMatch(p -> p.canary));

            // PROMOTE: the candidate serves every post; the canary ends.
            h.processBroadcastElement(rollout(RolloutStep.PROMOTE, "v2", null), 2L);
            awaitVersion(h, "v2");
            h.getOutput().clear();
            assertEquals(ids, stampedWith(h, ids, "v2"), "every post on v2 after the promotion");
            assertTrue(h.extractOutputValues().stream().noneMatch(p -> p.canary));
            ModelStatus serving = statuses(h).stream().filter(s -> s.getState() == ModelState.ACTIVE
                    && s.getRole() == ModelRole.SERVING && s.getVersion().equals("v2")).findFirst().orElseThrow();
            assertEquals(ModelTrigger.PROMOTE, serving.getTrigger());
            assertEquals("v1", serving.getPreviousVersion());
            assertTrue(statuses(h).stream().anyMatch(s -> s.getState() == ModelState.STOPPED && s.getRole() == ModelRole.CANARY
                    && s.getTrigger() == ModelTrigger.PROMOTE), statuses(h).toString());
            assertEquals(0, entries(h.getBroadcastState(ModelRouterFunction.ROLLOUT)));
            assertEquals(2, count(h), "the start version and the promotion in the command log");
        }
        assertTrue(registry.loaded().isEmpty(), registry.loaded().toString());
    }

    @Test
    void onAQuietStreamTheOperatorsTickStartsACommandedVersionWithoutWaitingForAPost() throws Exception {
        ModelRegistry registry = new ModelRegistry("router-test", new VerifyingModelLoader("cpu"));
        ModelRouterFunction router = new ModelRouterFunction(new TestModelSource(registry, TinyModelStore.root(),
                TestModelSource.storeTarget(TinyModelStore.root(), TinyModelStore.NAME, "v1")), JOB);
        try (BroadcastOperatorTestHarness<ReceivedPost, ModelCommand, PostToClassify> h =
                     new BroadcastOperatorTestHarness<>(new ModelRouterOperator(router), 1, 1, 0)) {
            h.setup();
            h.open();
            h.processBroadcastElement(rollout(RolloutStep.SHADOW, "v2", 1.0), 1L);
            long now = 0;
            while (statuses(h).stream().noneMatch(st -> st.getState() == ModelState.ACTIVE && st.getVersion().equals("v2"))) {
                assertTrue(now < 60_000, "no ACTIVE shadow within a minute of ticks: " + statuses(h));
                now += ModelRouterOperator.TICK.toMillis();
                h.setProcessingTime(now);
                Thread.sleep(ModelRouterOperator.TICK.toMillis());
            }
            assertEquals(0, h.extractOutputValues().size(), "no post was needed");
            h.processElement(TestPosts.received("first", "好难过想哭", 1), 1L);
            assertTrue(h.extractOutputValues().get(0).shadowed(), "the very first post is shadowed");
        }
    }

    @Test
    void rolloutStepsThatCannotApplyAreRefusedAndChangeNothing() throws Exception {
        ModelRegistry registry = new ModelRegistry("router-test", new VerifyingModelLoader("cpu"));
        try (BroadcastOperatorTestHarness<ReceivedPost, ModelCommand, PostToClassify> h = open(registry, null)) {
            h.processBroadcastElement(rollout(RolloutStep.SHADOW, "v1", 1.0), 1L);
            h.processBroadcastElement(rollout(RolloutStep.STOP, "", null), 2L);
            h.processBroadcastElement(rollout(RolloutStep.PROMOTE, "v2", null), 3L);
            h.processBroadcastElement(rollout(RolloutStep.CANARY, "v2", null), 4L);
            h.processBroadcastElement(rollout(RolloutStep.SHADOW, "v2", 1.5), 5L);
            List<String> reasons = statuses(h).stream().filter(s -> s.getState() == ModelState.REFUSED)
                    .map(ModelStatus::getReason).toList();
            assertEquals(5, reasons.size(), reasons.toString());
            assertTrue(reasons.get(0).contains("is the serving version"), reasons.get(0));
            assertTrue(reasons.get(1).contains("nothing to stop"), reasons.get(1));
            assertTrue(reasons.get(2).contains("no candidate tiny/v2 to promote"), reasons.get(2));
            assertTrue(reasons.get(3).contains("needs a fraction"), reasons.get(3));
            assertTrue(reasons.get(4).contains("needs a fraction"), reasons.get(4));
            h.processElement(TestPosts.received("after", "好难过想哭", 1), 10L);
            assertEquals(List.of("v1"), versions(h));
            assertTrue(h.extractOutputValues().stream().noneMatch(PostToClassify::shadowed));
            assertEquals(0, entries(h.getBroadcastState(ModelRouterFunction.ROLLOUT)));
            assertEquals(0, count(h), "no serving command was accepted");

            // An ACTIVATE of the candidate's version ends the rollout: the candidate now serves.
            h.processBroadcastElement(rollout(RolloutStep.SHADOW, "v2", 1.0), 6L);
            awaitStatus(h, ModelState.ACTIVE, "v2");
            h.processBroadcastElement(command(ModelAction.ACTIVATE, "v2", true), 7L);
            awaitVersion(h, "v2");
            assertTrue(statuses(h).stream().anyMatch(s -> s.getState() == ModelState.STOPPED && s.getTrigger() == ModelTrigger.ACTIVATE));
            assertEquals(0, entries(h.getBroadcastState(ModelRouterFunction.ROLLOUT)));
            h.getOutput().clear();
            h.processElement(TestPosts.received("last", "好难过想哭", 2), 20_000_000L);
            assertTrue(h.extractOutputValues().stream().noneMatch(PostToClassify::shadowed), "v2 serves, nothing shadows it");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static BroadcastOperatorTestHarness<ReceivedPost, ModelCommand, PostToClassify> open(
            ModelRegistry registry, OperatorSubtaskState restore) throws Exception {
        return open(registry, restore, TestModelSource.storeTarget(TinyModelStore.root(), TinyModelStore.NAME, "v1"));
    }

    private static BroadcastOperatorTestHarness<ReceivedPost, ModelCommand, PostToClassify> open(
            ModelRegistry registry, OperatorSubtaskState restore, ModelTarget start) throws Exception {
        ModelRouterFunction router = new ModelRouterFunction(new TestModelSource(registry, TinyModelStore.root(), start), JOB);
        BroadcastOperatorTestHarness<ReceivedPost, ModelCommand, PostToClassify> h = new BroadcastOperatorTestHarness<>(
                new CoBroadcastWithNonKeyedOperator<>(router, ModelRouterFunction.BROADCAST_STATES), 1, 1, 0);
        h.setup();
        if (restore != null) {
            h.initializeState(restore);
        }
        try {
            h.open();
        } catch (Exception e) {
            h.close();
            throw e;
        }
        return h;
    }

    /** A rollout step for {@code version} of the tiny store (pinned), or an empty version for STOP. */
    private static ModelCommand rollout(RolloutStep step, String version, Double fraction) {
        ModelCommand.Builder b = ModelCommand.newBuilder()
                .setModelName(TinyModelStore.NAME)
                .setVersion(version)
                .setAction(ModelAction.ACTIVATE)
                .setRollout(step)
                .setFraction(fraction)
                .setIssuedAt(Instant.ofEpochMilli(2_000L))
                .setIssuedBy("test");
        if (version.isEmpty()) {
            return b.setArtifactLocation("").setSha256("").build();
        }
        Path dir = TinyModelStore.dir(version);
        return b.setArtifactLocation(dir.toUri().toString()).setSha256(ArtifactFiles.sha256(dir.resolve(ArtifactFiles.MANIFEST)))
                .build();
    }

    /** Sends the posts {@code ids} through the router; the ids it stamped with {@code version}, in order. */
    private static List<String> stampedWith(BroadcastOperatorTestHarness<ReceivedPost, ModelCommand, PostToClassify> h,
                                            List<String> ids, String version) throws Exception {
        int before = h.extractOutputValues().size();
        for (int i = 0; i < ids.size(); i++) {
            h.processElement(TestPosts.received(ids.get(i), "居然下雪了好惊讶 " + i, i), 30_000L + i);
        }
        List<PostToClassify> out = h.extractOutputValues();
        return out.subList(before, out.size()).stream().filter(p -> p.modelVersion.equals(version)).map(PostToClassify::postId).toList();
    }

    private static int entries(BroadcastState<?, ?> state) throws Exception {
        int n = 0;
        for (var ignored : state.entries()) {
            n++;
        }
        return n;
    }

    private static ModelCommand command(ModelAction action, String version, boolean pinChecksum) {
        Path dir = TinyModelStore.dir(version);
        return ModelCommand.newBuilder()
                .setModelName(TinyModelStore.NAME)
                .setVersion(version)
                .setAction(action)
                .setArtifactLocation(dir.toUri().toString())
                .setSha256(pinChecksum ? ArtifactFiles.sha256(dir.resolve(ArtifactFiles.MANIFEST)) : "")
                .setIssuedAt(Instant.ofEpochMilli(1_000L))
                .setIssuedBy("test")
                .build();
    }

    /** Posts until one comes out stamped {@code version}: the background load finishes on its own thread. */
    private static void awaitVersion(BroadcastOperatorTestHarness<ReceivedPost, ModelCommand, PostToClassify> h, String version)
            throws Exception {
        for (int i = 0; i < 6_000; i++) {
            h.processElement(TestPosts.received("probe-" + version + "-" + i, "居然下雪了好惊讶", 10_000 + i), 10_000L + i);
            List<String> versions = versions(h);
            if (versions.get(versions.size() - 1).equals(version)) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("never switched to " + version + "; statuses " + statuses(h));
    }

    private static ModelStatus awaitStatus(BroadcastOperatorTestHarness<ReceivedPost, ModelCommand, PostToClassify> h,
                                           ModelState state, String version) throws Exception {
        for (int i = 0; i < 6_000; i++) {
            for (ModelStatus s : statuses(h)) {
                if (s.getState() == state && s.getVersion().equals(version)) {
                    return s;
                }
            }
            h.processElement(TestPosts.received("probe-status-" + i, "居然下雪了好惊讶", 20_000 + i), 20_000L + i);
            Thread.sleep(10);
        }
        throw new AssertionError("no " + state + " " + version + " in " + statuses(h));
    }

    private static List<String> versions(BroadcastOperatorTestHarness<ReceivedPost, ModelCommand, PostToClassify> h) {
        return h.extractOutputValues().stream().map(p -> p.modelVersion).toList();
    }

    private static List<ModelStatus> statuses(BroadcastOperatorTestHarness<ReceivedPost, ModelCommand, PostToClassify> h) {
        List<ModelStatus> out = new ArrayList<>();
        for (StreamRecord<ModelStatus> r : h.getSideOutput(ModelRouterFunction.STATUS)) {
            out.add(r.getValue());
        }
        return out;
    }

    private static List<ModelState> states(BroadcastOperatorTestHarness<ReceivedPost, ModelCommand, PostToClassify> h) {
        return statuses(h).stream().map(ModelStatus::getState).toList();
    }

    private static int count(BroadcastOperatorTestHarness<ReceivedPost, ModelCommand, PostToClassify> h) throws Exception {
        BroadcastState<Long, ModelTarget> state = h.getBroadcastState(ModelRouterFunction.COMMANDS);
        int n = 0;
        for (var ignored : state.entries()) {
            n++;
        }
        return n;
    }

    /** The real verifying loader, but a version can be held back until the test releases it. */
    private static final class GatedLoader implements com.emotionmonitor.job.model.ModelLoader {
        private final VerifyingModelLoader real = new VerifyingModelLoader("cpu");
        private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();

        void hold(String version) {
            gates.put(version, new CountDownLatch(1));
        }

        void release(String version) {
            gates.get(version).countDown();
        }

        @Override
        public LoadedModel load(ModelTarget target, ClassifierRequirements requirements) {
            CountDownLatch gate = gates.get(target.version);
            if (gate != null) {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return real.load(target, requirements);
        }
    }
}
