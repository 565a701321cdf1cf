package com.emotionmonitor.serving;

import java.time.Duration;

/**
 * When the micro-batcher cuts a batch: at {@code maxBatchSize} requests, at {@code maxBatchTokens}
 * padded tokens (batch size x longest member, like TEI's max-batch-tokens), or when the oldest request
 * has waited {@code maxWait}, whichever comes first. {@code queueCapacity} bounds the requests held:
 * a full queue makes callers wait (backpressure), never grows memory.
 */
public record BatchLimits(int maxBatchSize, int maxBatchTokens, Duration maxWait, int queueCapacity) {

    public BatchLimits {
        if (maxBatchSize < 1 || maxBatchTokens < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("batch limits must be positive: " + this);
        }
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must not be negative: " + maxWait);
        }
    }

    /** Defaults measured on a 2-core CPU host (see the bench): 64 posts, 4096 padded tokens, 10 ms. */
    public static BatchLimits defaults() {
        return new BatchLimits(64, 4096, Duration.ofMillis(10), 1024);
    }
}
