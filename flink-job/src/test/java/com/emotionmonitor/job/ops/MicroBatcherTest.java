package com.emotionmonitor.job.ops;

import static com.emotionmonitor.job.ops.RecordingPredictor.tokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.model.Emotion;
import com.emotionmonitor.model.Prediction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Batch cutting without timing assumptions: the predictor holds its first call, so the posts submitted meanwhile are
 * all queued when the next batch is formed.
 */
class MicroBatcherTest {

    private static final Duration FOREVER = Duration.ofHours(1);

    @Test
    void cutsAtMaxSizeAndCompletesEveryPostWithItsOwnPrediction() throws Exception {
        RecordingPredictor predictor = new RecordingPredictor(true);
        try (MicroBatcher batcher = new MicroBatcher(predictor, new BatchSettings(3, 10_000, Duration.ZERO), "test-batcher")) {
            List<CompletableFuture<Prediction>> futures = new ArrayList<>();
            futures.add(batcher.submit(tokens(1)));
            predictor.firstCallEntered.await();
            for (int n = 2; n <= 6; n++) {
                futures.add(batcher.submit(tokens(n)));
            }
            predictor.releaseFirstCall.countDown();
            for (int i = 0; i < futures.size(); i++) {
                int length = i + 1;
                assertEquals(Emotion.ofIndex(length % 6), futures.get(i).get().emotion(), "post " + length + " got another post's label");
            }
            assertEquals(List.of(List.of(1), List.of(2, 3, 4), List.of(5, 6)), predictor.batchLengths);
            MicroBatcher.Stats stats = batcher.stats();
            assertEquals(3, stats.batches());
            assertEquals(6, stats.posts());
            assertEquals(21, stats.realTokens());
            assertEquals(1 + 3 * 4 + 2 * 6, stats.paddedTokens());
        }
    }

    @Test
    void cutsBeforeThePaddedSizeExceedsMaxTokens() throws Exception {
        RecordingPredictor predictor = new RecordingPredictor(true);
        try (MicroBatcher batcher = new MicroBatcher(predictor, new BatchSettings(32, 20, Duration.ZERO), "test-batcher")) {
            List<CompletableFuture<Prediction>> futures = new ArrayList<>();
            futures.add(batcher.submit(tokens(2)));
            predictor.firstCallEntered.await();
            for (int n : new int[] {4, 5, 5, 10, 30}) {
                futures.add(batcher.submit(tokens(n)));
            }
            predictor.releaseFirstCall.countDown();
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get();
            // 4,5,5: 3 x 5 = 15 <= 20; adding 10 would make 4 x 10 = 40. 10 then 30: 2 x 30 = 60 > 20.
            // A post longer than max-tokens still runs, alone.
            assertEquals(List.of(List.of(2), List.of(4, 5, 5), List.of(10), List.of(30)), predictor.batchLengths);
        }
    }

    @Test
    void holdsABatchOpenUntilMaxWaitForMorePosts() throws Exception {
        RecordingPredictor predictor = new RecordingPredictor(false);
        try (MicroBatcher batcher = new MicroBatcher(predictor, new BatchSettings(2, 10_000, FOREVER), "test-batcher")) {
            CompletableFuture<Prediction> first = batcher.submit(tokens(3));
            CompletableFuture<Prediction> second = batcher.submit(tokens(4));
            first.get();
            second.get();
            assertEquals(List.of(List.of(3, 4)), predictor.batchLengths, "with a long max-wait the batch waits for its second post");
        }
    }

    @Test
    void aFailingBatchFailsEachOfItsPostsAndTheBatcherKeepsWorking() throws Exception {
        RecordingPredictor predictor = new RecordingPredictor(false);
        predictor.failure = new IllegalStateException("native error");
        try (MicroBatcher batcher = new MicroBatcher(predictor, new BatchSettings(8, 10_000, Duration.ZERO), "test-batcher")) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> batcher.submit(tokens(3)).get());
            assertEquals("native error", e.getCause().getMessage());
            predictor.failure = null;
            assertEquals(Emotion.ofIndex(4), batcher.submit(tokens(4)).get().emotion());
        }
    }

    @Test
    void closeFailsQueuedPostsAndRefusesNewOnes() throws Exception {
        RecordingPredictor predictor = new RecordingPredictor(true);
        MicroBatcher batcher = new MicroBatcher(predictor, new BatchSettings(1, 10_000, Duration.ZERO), "test-batcher");
        CompletableFuture<Prediction> running = batcher.submit(tokens(1));
        predictor.firstCallEntered.await();
        CompletableFuture<Prediction> queued = batcher.submit(tokens(2));
        Thread closer = new Thread(() -> {
            try {
                batcher.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        closer.start();
        while (closer.getState() != Thread.State.WAITING) { // in join(): close() has marked the batcher closed
            Thread.onSpinWait();
        }
        predictor.releaseFirstCall.countDown();
        closer.join();
        assertEquals(Emotion.ofIndex(1), running.get().emotion(), "the batch in progress finishes");
        assertThrows(CancellationException.class, queued::get); // CompletableFuture rethrows a cancellation as is
        assertTrue(batcher.submit(tokens(3)).isCompletedExceptionally());
    }
}
