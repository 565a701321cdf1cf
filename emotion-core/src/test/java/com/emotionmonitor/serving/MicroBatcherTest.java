package com.emotionmonitor.serving;

import com.emotionmonitor.store.ModelKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.model.BatchPredictor;
import com.emotionmonitor.model.Emotion;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.text.Encoding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The threaded batcher with a deterministic predictor: the prediction encodes the request's own first
 * token id, so every future can be checked against the request that created it.
 */
class MicroBatcherTest {

    private static ModelKey key(String version) {
        return new ModelKey("m", version);
    }

    /** Probabilities whose arg-max is (first id mod 6): identifies which request a result belongs to. */
    private static final BatchPredictor ECHO = batch -> batch.stream().map(e -> {
        float[] p = new float[6];
        p[e.ids()[0] % 6] = 1f;
        return Prediction.fromProbabilities(p);
    }).toList();

    private static Encoding enc(int id, int length) {
        int[] ids = new int[length];
        ids[0] = id;
        return new Encoding(ids);
    }

    @Test
    void everyFutureCompletesExactlyOnceWithItsOwnResultUnderConcurrentCallers() throws Exception {
        List<Integer> sizes = java.util.Collections.synchronizedList(new ArrayList<>());
        BatchListener listener = (k, size, real, padded, wait, inf, reason) -> sizes.add(size);
        try (MicroBatcher b = new MicroBatcher(new BatchLimits(16, 4096, Duration.ofMillis(2), 64), Ticker.SYSTEM,
                listener, "test-batcher")) {
            int threads = 8;
            int perThread = 250;
            ConcurrentHashMap<Integer, CompletableFuture<Prediction>> futures = new ConcurrentHashMap<>();
            CountDownLatch done = new CountDownLatch(threads);
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                new Thread(() -> {
                    try {
                        for (int i = 0; i < perThread; i++) {
                            futures.put(base + i, b.submit(key("v1"), ECHO, enc(base + i, 3 + (base + i) % 40)));
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        done.countDown();
                    }
                }).start();
            }
            assertTrue(done.await(60, TimeUnit.SECONDS));
            for (var e : futures.entrySet()) {
                Prediction p = e.getValue().get(30, TimeUnit.SECONDS);
                assertEquals(Emotion.ofIndex(e.getKey() % 6), p.emotion(), "request " + e.getKey() + " got another's result");
            }
            assertEquals(threads * perThread, futures.size());
            assertEquals(threads * perThread, sizes.stream().mapToInt(Integer::intValue).sum(), "each request in exactly one batch");
            assertTrue(sizes.stream().anyMatch(s -> s > 1), "concurrent callers share batches");
            assertEquals(0, b.inFlight());
        }
    }

    @Test
    void theInjectedClockAloneDecidesWhenATimeCutHappens() throws Exception {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
        List<String> cuts = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch reported = new CountDownLatch(1);
        BatchListener reasons = (k, size, real, padded, wait, inference, reason) -> {
            cuts.add(size + ":" + reason);
            reported.countDown();
        };
        try (MicroBatcher b = new MicroBatcher(new BatchLimits(16, 4096, Duration.ofMillis(10), 64), now::get,
                reasons, "t")) {
            CompletableFuture<Prediction> first = b.submit(key("v1"), ECHO, enc(1, 3));
            now.set(4_000_000L);
            CompletableFuture<Prediction> second = b.submit(key("v1"), ECHO, enc(7, 4));
            Thread.sleep(150); // real time passes; the injected clock says 4 ms: no cut
            assertFalse(first.isDone() || second.isDone(), "cut before the injected clock reached max wait");
            now.set(10_000_000L);
            assertEquals(Emotion.ANGRY, second.get(10, TimeUnit.SECONDS).emotion());
            assertEquals(Emotion.ANGRY, first.get(10, TimeUnit.SECONDS).emotion());
            assertTrue(reported.await(10, TimeUnit.SECONDS));
            assertEquals(List.of("2:time"), cuts, "one batch of both, cut by time");
        }
    }

    @Test
    void aFailedForwardPassFailsExactlyThatBatchsFutures() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        BatchPredictor flaky = batch -> {
            if (batch.get(0).ids()[0] == 13) {
                throw new IllegalStateException("boom on 13");
            }
            calls.incrementAndGet();
            return ECHO.predict(batch);
        };
        try (MicroBatcher b = new MicroBatcher(new BatchLimits(1, 4096, Duration.ZERO, 16), Ticker.SYSTEM,
                BatchListener.NONE, "test-batcher")) {
            CompletableFuture<Prediction> bad = b.submit(key("v1"), flaky, enc(13, 4));
            CompletableFuture<Prediction> good = b.submit(key("v1"), flaky, enc(2, 4));
            ExecutionException e = assertThrows(ExecutionException.class, () -> bad.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("boom on 13"));
            assertEquals(Emotion.SAD, good.get(10, TimeUnit.SECONDS).emotion());
        }
    }

    @Test
    void requestsOfTwoVersionsNeverShareABatchAndEachGoesToItsOwnPredictor() throws Exception {
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        BatchPredictor v1 = batch -> {
            seen.add("v1:" + batch.size());
            return ECHO.predict(batch);
        };
        BatchPredictor v2 = batch -> {
            seen.add("v2:" + batch.size());
            return ECHO.predict(batch);
        };
        AtomicLong now = new AtomicLong();
        try (MicroBatcher b = new MicroBatcher(new BatchLimits(16, 4096, Duration.ofMillis(10), 64), now::get,
                BatchListener.NONE, "t")) {
            List<CompletableFuture<Prediction>> fs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                fs.add(b.submit(key(i % 2 == 0 ? "v1" : "v2"), i % 2 == 0 ? v1 : v2, enc(i, 3)));
            }
            now.set(Duration.ofMillis(10).toNanos());
            for (CompletableFuture<Prediction> f : fs) {
                f.get(10, TimeUnit.SECONDS);
            }
        }
        assertEquals(java.util.Set.of("v1:3", "v2:3"), new java.util.HashSet<>(seen), "one batch per version: " + seen);
        assertThrows(NullPointerException.class, () -> new MicroBatcher(BatchLimits.defaults(), Ticker.SYSTEM,
                BatchListener.NONE, "t").submit(key("v1"), null, enc(1, 3)), "a request carries its predictor");
    }

    @Test
    void closeDrainsPendingRequestsAndThenRefusesNewOnes() throws Exception {
        MicroBatcher b = new MicroBatcher(new BatchLimits(1000, 1_000_000, Duration.ofHours(1), 2000), Ticker.SYSTEM,
                BatchListener.NONE, "t");
        List<CompletableFuture<Prediction>> fs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            fs.add(b.submit(key("v1"), ECHO, enc(i, 5)));
        }
        assertFalse(fs.get(0).isDone(), "an hour's max wait holds the batch until close");
        b.close();
        for (CompletableFuture<Prediction> f : fs) {
            assertTrue(f.isDone() && !f.isCompletedExceptionally());
        }
        assertThrows(IllegalStateException.class, () -> b.submit(key("v1"), ECHO, enc(1, 2)));
    }

    @Test
    void aFullQueueBlocksCallersUntilTheWorkerTakesABatch() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        BatchPredictor slow = batch -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ECHO.predict(batch);
        };
        try (MicroBatcher b = new MicroBatcher(new BatchLimits(2, 4096, Duration.ZERO, 2), Ticker.SYSTEM,
                BatchListener.NONE, "t")) {
            b.submit(key("v1"), slow, enc(1, 3)); // taken by the worker, which then blocks in the model
            while (b.queueDepth() > 0) {
                Thread.onSpinWait();
            }
            b.submit(key("v1"), slow, enc(2, 3));
            b.submit(key("v1"), slow, enc(3, 3)); // queue now at capacity
            CountDownLatch fourthIn = new CountDownLatch(1);
            Thread caller = new Thread(() -> {
                try {
                    b.submit(key("v1"), slow, enc(4, 3));
                    fourthIn.countDown();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            caller.start();
            assertFalse(fourthIn.await(200, TimeUnit.MILLISECONDS), "the caller must wait while the queue is full");
            release.countDown();
            assertTrue(fourthIn.await(10, TimeUnit.SECONDS), "space freed by the worker lets the caller in");
        }
    }
}
