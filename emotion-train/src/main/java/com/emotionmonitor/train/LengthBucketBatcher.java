package com.emotionmonitor.train;

import com.emotionmonitor.serving.TokenBudgetBatches;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Plans an epoch of batches: shuffle, then sort each window of examples by length and cut batches by a
 * padded-token budget ({@code batchSize x longest <= maxTokens}, like TEI's max-batch-tokens) and a
 * maximum size, then shuffle the batch order. Padding stays small and every epoch order is a pure
 * function of (seed, epoch), which is what makes {@code --resume} exact.
 */
public final class LengthBucketBatcher {

    /** How many batches' worth of examples are sorted together: bigger = less padding, less randomness. */
    private static final int WINDOW_BATCHES = 64;

    private final int maxTokens;
    private final int maxBatchSize;

    public LengthBucketBatcher(int maxTokens, int maxBatchSize) {
        if (maxTokens < 1 || maxBatchSize < 1) {
            throw new IllegalArgumentException("maxTokens and maxBatchSize must be positive");
        }
        this.maxTokens = maxTokens;
        this.maxBatchSize = maxBatchSize;
    }

    /** Batches of example indices for one epoch. */
    public List<int[]> plan(int[] lengths, long seed, int epoch) {
        Integer[] order = new Integer[lengths.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random rnd = new Random(seed * 1_000_003L + epoch);
        Collections.shuffle(Arrays.asList(order), rnd);
        List<int[]> batches = new ArrayList<>();
        int window = Math.max(maxBatchSize * WINDOW_BATCHES, 1);
        for (int from = 0; from < order.length; from += window) {
            Integer[] chunk = Arrays.copyOfRange(order, from, Math.min(order.length, from + window));
            Arrays.sort(chunk, (a, b) -> Integer.compare(lengths[a], lengths[b]));
            int[] sorted = Arrays.stream(chunk).mapToInt(Integer::intValue).toArray();
            batches.addAll(TokenBudgetBatches.cut(sorted, i -> lengths[i], maxTokens, maxBatchSize));
        }
        Collections.shuffle(batches, rnd);
        return batches;
    }
}
