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
import com.emotionmonitor.schema.ModelCommand;
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
                new CoBroadcastWithNonKeyedOperator<>(router, List.of(ModelRouterFunction.COMMANDS)), 1, 1, 0)) {
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

    // ---------------------------------------------------------------------------------------------------------------

    private static BroadcastOperatorTestHarness<ReceivedPost, ModelCommand, PostToClassify> open(
            ModelRegistry registry, OperatorSubtaskState restore) throws Exception {
        return open(registry, restore, TestModelSource.storeTarget(TinyModelStore.root(), TinyModelStore.NAME, "v1"));
    }

    private static BroadcastOperatorTestHarness<ReceivedPost, ModelCommand, PostToClassify> open(
            ModelRegistry registry, OperatorSubtaskState restore, ModelTarget start) throws Exception {
        ModelRouterFunction router = new ModelRouterFunction(new TestModelSource(registry, TinyModelStore.root(), start), JOB);
        BroadcastOperatorTestHarness<ReceivedPost, ModelCommand, PostToClassify> h = new BroadcastOperatorTestHarness<>(
                new CoBroadcastWithNonKeyedOperator<>(router, List.of(ModelRouterFunction.COMMANDS)), 1, 1, 0);
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
