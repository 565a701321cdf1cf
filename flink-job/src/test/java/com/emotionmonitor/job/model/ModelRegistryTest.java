package com.emotionmonitor.job.model;

import com.emotionmonitor.store.ClassifierRequirements;
import com.emotionmonitor.store.ModelKey;
import com.emotionmonitor.testkit.TinyModelStore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.model.BatchPredictor;
import com.emotionmonitor.model.ModelLoadException;
import com.emotionmonitor.store.ModelManifest;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.schema.ModelTrigger;
import com.emotionmonitor.serving.BatchLimits;
import com.emotionmonitor.serving.MicroBatcher;
import com.emotionmonitor.text.Encoding;
import com.emotionmonitor.text.TextPipeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The TaskManager's model registry: each refusal reason with a real (tiny, trained here) model and a real broken
 * artifact, and the reference counting that releases a version only when the last request in flight is done.
 */
class ModelRegistryTest {

    private static final ClassifierRequirements JOB = ClassifierRequirements.emotions(4096);

    private static ModelRegistry verifying() {
        return new ModelRegistry("test", new VerifyingModelLoader("cpu"));
    }

    private static String refusal(ModelRegistry registry, ModelTarget target, ClassifierRequirements requirements) {
        CompletableFuture<ModelLease> f = registry.prepare(target, requirements);
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(2, TimeUnit.MINUTES));
        assertTrue(e.getCause() instanceof ModelLoadException, () -> "refusals are ModelLoadExceptions: " + e.getCause());
        assertFalse(registry.isLoaded(target.key()), "a refused version is not kept");
        return e.getCause().getMessage();
    }

    private static ModelTarget target(java.nio.file.Path dir, String version, String sha) {
        return new ModelTarget(1, TinyModelStore.NAME, version, dir.toString(), sha, ModelTrigger.ACTIVATE, 0L);
    }

    @Test
    void aGoodVersionLoadsVerifiedAndPredicts() throws Exception {
        ModelRegistry registry = verifying();
        String sha = ArtifactFiles.sha256(TinyModelStore.dir("v1").resolve(ArtifactFiles.MANIFEST));
        try (ModelLease lease = registry.prepare(target(TinyModelStore.dir("v1"), "v1", sha), JOB).get(2, TimeUnit.MINUTES)) {
            assertEquals(new ModelKey(TinyModelStore.NAME, "v1"), lease.key());
            Encoding e = lease.textPipeline().prepare("今天太开心了哈哈").encoding();
            assertEquals(1, lease.predictor().predict(List.of(e)).size());
            assertTrue(registry.isLoaded(lease.key()));
        }
        assertTrue(registry.loaded().isEmpty(), "released with its last lease");
        assertEquals(1, registry.releases());
    }

    @Test
    void aMissingVersionIsRefused() {
        String reason = refusal(verifying(), target(TinyModelStore.root().resolve(TinyModelStore.NAME).resolve("v404"), "v404", null), JOB);
        assertTrue(reason.contains("does not exist"), reason);
    }

    @Test
    void aTamperedFileIsRefusedByItsChecksum() {
        String reason = refusal(verifying(), target(TinyModelStore.tampered("v-tampered"), "v-tampered", null), JOB);
        assertTrue(reason.contains("sha256 mismatch") && reason.contains("model.params"), reason);
    }

    @Test
    void aManifestOtherThanTheCommandPinnedIsRefused() {
        String reason = refusal(verifying(), target(TinyModelStore.dir("v2"), "v2", "ab".repeat(32)), JOB);
        assertTrue(reason.contains("sha256 mismatch for manifest.json"), reason);
    }

    @Test
    void aWrongLabelCountIsRefused() {
        java.nio.file.Path dir = TinyModelStore.withManifest("v-five-labels",
                TinyModelStore.labels(List.of("happy", "angry", "sad", "fear", "surprise")));
        String reason = refusal(verifying(), target(dir, "v-five-labels", null), JOB);
        assertTrue(reason.contains("has 5 labels") && reason.contains("expects 6"), reason);
    }

    @Test
    void anArtifactWhoseWeightsDoNotLoadIsRefused() {
        String reason = refusal(verifying(), target(TinyModelStore.withBrokenWeights("v-garbage"), "v-garbage", null), JOB);
        assertTrue(reason.contains("weights do not load"), reason);
        assertTrue(reason.contains("model.params") && !reason.endsWith("null"), "names the file and what was found: " + reason);
    }

    @Test
    void aMaxLengthTheBatcherCannotFitIsRefused() {
        String reason = refusal(verifying(), target(TinyModelStore.dir("v1"), "v1", null), ClassifierRequirements.emotions(64));
        assertTrue(reason.contains("max length 142") && reason.contains("batch.max-tokens"), reason);
    }

    @Test
    void aVersionStaysLoadedUntilTheLastRequestInFlightIsDoneThenIsReleased() throws Exception {
        FakeModels fakes = new FakeModels();
        ModelRegistry registry = new ModelRegistry("test", fakes);
        ModelKey v1 = new ModelKey("fake", "v1");
        ModelLease router = registry.prepare(fakeTarget("v1"), JOB).get(1, TimeUnit.MINUTES);
        ModelLease request1 = router.share();
        ModelLease request2 = router.share();

        router.close(); // the router switched to another version
        assertTrue(registry.isLoaded(v1), "two requests are still in flight");
        request1.close();
        assertTrue(registry.isLoaded(v1), "one request is still in flight");
        assertFalse(fakes.closed(v1));
        assertEquals(0, registry.releases());

        request2.close(); // the last batch is done
        assertFalse(registry.isLoaded(v1));
        assertTrue(fakes.closed(v1), "native memory freed");
        assertEquals(1, registry.releases());
        request2.close(); // closing twice changes nothing
        assertEquals(1, registry.releases());
        assertThrows(IllegalStateException.class, router::predictor, "a closed lease never serves");
    }

    @Test
    void concurrentRequestsForOneVersionShareOneBackgroundLoad() throws Exception {
        FakeModels fakes = new FakeModels();
        fakes.gate = new CountDownLatch(1);
        ModelRegistry registry = new ModelRegistry("test", fakes);
        CompletableFuture<ModelLease> a = registry.prepare(fakeTarget("v2"), JOB);
        CompletableFuture<ModelLease> b = registry.prepare(fakeTarget("v2"), JOB);
        assertFalse(a.isDone(), "the load runs in the background: the caller does not wait");
        assertNull(registry.acquireIfLoaded(new ModelKey("fake", "v2")), "not served before it is verified");
        fakes.gate.countDown();
        try (ModelLease la = a.get(1, TimeUnit.MINUTES); ModelLease lb = b.get(1, TimeUnit.MINUTES)) {
            assertSame(la.predictor(), lb.predictor(), "one copy per TaskManager");
            assertEquals(1, fakes.loads.get());
        }
        assertTrue(fakes.closed(new ModelKey("fake", "v2")));
    }

    @Test
    void aRefusedVersionIsForgottenSoTheNextCommandTriesAgain() throws Exception {
        FakeModels fakes = new FakeModels();
        fakes.refuse = true;
        ModelRegistry registry = new ModelRegistry("test", fakes);
        assertThrows(ExecutionException.class, () -> registry.prepare(fakeTarget("v3"), JOB).get(1, TimeUnit.MINUTES));
        fakes.refuse = false;
        registry.prepare(fakeTarget("v3"), JOB).get(1, TimeUnit.MINUTES).close();
        assertEquals(2, fakes.attempts.get());
        assertEquals(1, registry.refusals());
    }

    @Test
    void theDeviceBatcherIsSharedAndStopsWithItsLastSubtask() throws Exception {
        FakeModels fakes = new FakeModels();
        ModelRegistry registry = new ModelRegistry("test", fakes);
        DeviceBatcher device = new DeviceBatcher("test-batcher");
        BatchLimits limits = new BatchLimits(8, 1024, Duration.ZERO, 64);
        DeviceBatcher.Handle first = device.acquire(limits);
        DeviceBatcher.Handle second = device.acquire(limits);
        assertSame(first.batcher(), second.batcher(), "one batcher per TaskManager and device");

        try (ModelLease lease = registry.prepare(fakeTarget("v1"), JOB).get(1, TimeUnit.MINUTES)) {
            first.close();
            Prediction p = second.batcher().submit(lease.key(), lease.predictor(), new Encoding(new int[] {1, 2}))
                    .get(1, TimeUnit.MINUTES);
            assertEquals(2, p.emotion().ordinal(), "still serving for the other subtask, with the lease's predictor");
        }
        MicroBatcher stopped = second.batcher();
        second.close();
        assertEquals(0, device.references());
        assertThrows(IllegalStateException.class,
                () -> stopped.submit(new ModelKey("fake", "v1"), batch -> List.of(), new Encoding(new int[] {1})));
        try (DeviceBatcher.Handle restarted = device.acquire(limits)) {
            assertNotSame(stopped, restarted.batcher(), "a restarted job gets a fresh batcher");
        }
    }

    private static ModelTarget fakeTarget(String version) {
        return new ModelTarget(1, "fake", version, "/nowhere/" + version, null, ModelTrigger.ACTIVATE, 0L);
    }

    /** Loads "models" that label a post by its length, and records loads and closes. */
    private static final class FakeModels implements ModelLoader {
        final AtomicInteger loads = new AtomicInteger();
        final AtomicInteger attempts = new AtomicInteger();
        final List<ModelKey> closed = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile boolean refuse;

        boolean closed(ModelKey key) {
            return closed.contains(key);
        }

        @Override
        public LoadedModel load(ModelTarget target, ClassifierRequirements requirements) {
            attempts.incrementAndGet();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (refuse) {
                throw new ModelLoadException(target.key() + ": refused by the test");
            }
            loads.incrementAndGet();
            ModelKey key = target.key();
            BatchPredictor byLength = batch -> batch.stream().map(e -> {
                float[] p = new float[6];
                p[e.length() % 6] = 1f;
                return Prediction.fromProbabilities(p);
            }).toList();
            return new LoadedModel() {
                @Override
                public ModelManifest manifest() {
                    return new ModelManifest(key.name(), key.version(), ModelManifest.CLASSIFIER, null, null, JOB.labels(), 142,
                            "weibo-clean-1", null, null, null, null, null);
                }

                @Override
                public String manifestSha256() {
                    return "0".repeat(64);
                }

                @Override
                public TextPipeline textPipeline() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public BatchPredictor predictor() {
                    return byLength;
                }

                @Override
                public void close() {
                    closed.add(key);
                }
            };
        }
    }
}
