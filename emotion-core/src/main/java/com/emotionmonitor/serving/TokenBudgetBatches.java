package com.emotionmonitor.serving;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;

/**
 * Cuts items already sorted by length into consecutive batches of at most {@code maxBatch} items and
 * {@code maxTokens} padded tokens (batch size x longest member, TEI's max-batch-tokens). One cutter for
 * every offline path: training epochs, evaluation and the tight-loop bench; the callers keep their own
 * shuffling or reordering. A single item longer than the budget still gets a batch of its own.
 */
public final class TokenBudgetBatches {

    private TokenBudgetBatches() {}

    /**
     * @param sorted item indices, ascending by length
     * @param length the length of an item index
     */
    public static List<int[]> cut(int[] sorted, IntUnaryOperator length, int maxTokens, int maxBatch) {
        if (maxTokens < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("maxTokens and maxBatch must be positive");
        }
        List<int[]> out = new ArrayList<>();
        int from = 0;
        int longest = 0;
        for (int k = 0; k < sorted.length; k++) {
            int len = length.applyAsInt(sorted[k]);
            int size = k - from;
            if (size > 0 && (size >= maxBatch || (long) Math.max(longest, len) * (size + 1) > maxTokens)) {
                out.add(Arrays.copyOfRange(sorted, from, k));
                from = k;
                longest = 0;
            }
            longest = Math.max(longest, len);
        }
        if (from < sorted.length) {
            out.add(Arrays.copyOfRange(sorted, from, sorted.length));
        }
        return out;
    }

    /** Indices {@code 0..n-1} sorted by length (stable: equal lengths keep their order). */
    public static int[] sortedByLength(int n, IntUnaryOperator length) {
        return IntStream.range(0, n).boxed()
                .sorted(Comparator.comparingInt(length::applyAsInt))
                .mapToInt(Integer::intValue).toArray();
    }
}
