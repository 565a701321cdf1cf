package com.emotionmonitor.train;

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
            cut(chunk, lengths, batches);
        }
        Collections.shuffle(batches, rnd);
        return batches;
    }

    private void cut(Integer[] sorted, int[] lengths, List<int[]> out) {
        List<Integer> current = new ArrayList<>();
        int longest = 0;
        for (Integer idx : sorted) {
            int len = lengths[idx];
            int newLongest = Math.max(longest, len);
            if (!current.isEmpty() && (current.size() >= maxBatchSize || (long) newLongest * (current.size() + 1) > maxTokens)) {
                out.add(current.stream().mapToInt(Integer::intValue).toArray());
                current.clear();
                newLongest = len;
            }
            current.add(idx);
            longest = newLongest;
        }
        if (!current.isEmpty()) {
            out.add(current.stream().mapToInt(Integer::intValue).toArray());
        }
    }
}
