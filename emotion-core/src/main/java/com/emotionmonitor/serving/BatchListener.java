package com.emotionmonitor.serving;

import com.emotionmonitor.store.ModelKey;
/** Observes the batcher (Flink metrics, the bench). Called on the worker thread: keep it cheap. */
public interface BatchListener {

    /**
     * @param size requests in the batch
     * @param realTokens sum of the members' lengths
     * @param paddedTokens size x longest member: what the model computed
     * @param maxQueueWaitNanos how long the oldest member waited before the cut
     * @param inferenceNanos the forward pass
     * @param cutReason size, tokens, time or drain
     */
    void onBatch(ModelKey model, int size, long realTokens, long paddedTokens, long maxQueueWaitNanos, long inferenceNanos,
            String cutReason);

    /** A batch whose inference threw: every member's future was failed with this error. */
    default void onBatchFailed(ModelKey model, int size, Throwable error) {}

    BatchListener NONE = (k, s, r, p, w, i, c) -> {};
}
