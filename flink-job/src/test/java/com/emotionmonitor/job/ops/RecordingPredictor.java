package com.emotionmonitor.job.ops;

import com.emotionmonitor.model.BatchPredictor;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.text.Encoding;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A test double for the operator plumbing around the model (futures, timeouts, error paths): records the batches it is
 * given, can hold the first call until released, and labels each post by its length (deterministic, not a model).
 * The model itself is exercised by the ITs with a real tiny trained model.
 */
final class RecordingPredictor implements BatchPredictor {

    final List<List<Integer>> batchLengths = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch firstCallEntered = new CountDownLatch(1);
    final CountDownLatch releaseFirstCall;
    volatile RuntimeException failure;

    RecordingPredictor(boolean holdFirstCall) {
        releaseFirstCall = new CountDownLatch(holdFirstCall ? 1 : 0);
    }

    @Override
    public List<Prediction> predict(List<Encoding> batch) {
        firstCallEntered.countDown();
        try {
            releaseFirstCall.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (failure != null) {
            throw failure;
        }
        batchLengths.add(batch.stream().map(Encoding::length).toList());
        List<Prediction> out = new ArrayList<>();
        for (Encoding e : batch) {
            float[] p = new float[6];
            p[e.length() % 6] = 1f;
            out.add(Prediction.fromProbabilities(p));
        }
        return out;
    }
}
