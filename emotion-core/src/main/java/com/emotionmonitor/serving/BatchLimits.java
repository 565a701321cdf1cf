package com.emotionmonitor.serving;

import java.time.Duration;

/**
 * When the micro-batcher cuts a batch: at {@code maxBatchSize} requests, at {@code maxBatchTokens}
 * padded tokens (batch size x longest member, like TEI's max-batch-tokens), or when the oldest request
 * has waited {@code maxWait}, whichever comes first. {@code queueCapacity} bounds the requests held:
 * a full queue makes callers wait (backpressure), never grows memory.
 *
 * <p>{@code overheadTokens} is the fixed cost of one forward pass expressed in padded tokens: the policy
 * splits the pending requests into the length groups that minimise (passes x overhead + padded tokens).
 * Small on a CPU (a pass costs little beyond its tokens), large on a GPU (launch-bound, padding nearly
 * free until the device saturates).
 */
public record BatchLimits(int maxBatchSize, int maxBatchTokens, Duration maxWait, int queueCapacity, int overheadTokens) {

    /** Measured for the L4-H256 model on one CPU thread: batch-1 costs ~2.7 ms beyond its tokens, ~48 tokens' worth. */
    public static final int CPU_OVERHEAD_TOKENS = 48;

    public BatchLimits {
        if (maxBatchSize < 1 || maxBatchTokens < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("batch limits must be positive: " + this);
        }
        if (maxWait.isNegative() || overheadTokens < 0) {
            throw new IllegalArgumentException("maxWait and overheadTokens must not be negative: " + this);
        }
    }

    public BatchLimits(int maxBatchSize, int maxBatchTokens, Duration maxWait, int queueCapacity) {
        this(maxBatchSize, maxBatchTokens, maxWait, queueCapacity, CPU_OVERHEAD_TOKENS);
    }

    /** Defaults measured on a 2-core CPU host (see the bench): 64 posts, 2048 padded tokens, 10 ms. */
    public static BatchLimits defaults() {
        return new BatchLimits(64, 2048, Duration.ofMillis(10), 1024);
    }
}
