package com.emotionmonitor.job.ops;

import java.io.Serializable;
import java.time.Duration;

/**
 * When the {@link MicroBatcher} cuts a batch: at {@code maxSize} posts, before the padded size (posts x longest post)
 * would exceed {@code maxTokens}, or when the oldest post has waited {@code maxWait}, whichever comes first.
 */
public record BatchSettings(int maxSize, int maxTokens, Duration maxWait) implements Serializable {

    public BatchSettings {
        if (maxSize < 1 || maxTokens < 1 || maxWait.isNegative()) {
            throw new IllegalArgumentException("invalid batch settings: " + maxSize + " posts, " + maxTokens + " tokens, " + maxWait);
        }
    }
}
