package com.emotionmonitor.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenBudgetBatchesTest {

    @Test
    void cutsAtTheTokenBudgetAndTheSizeLimit() {
        int[] lengths = {10, 10, 20, 30, 30, 30, 50};
        int[] sorted = {0, 1, 2, 3, 4, 5, 6};
        List<int[]> batches = TokenBudgetBatches.cut(sorted, i -> lengths[i], 60, 3);
        // [10,10,20] = 3 x 20 = 60 fits; [30,30] = 60; adding the third 30 -> 90 > 60; [30]; [50]
        assertEquals(4, batches.size());
        assertArrayEquals(new int[] {0, 1, 2}, batches.get(0));
        assertArrayEquals(new int[] {3, 4}, batches.get(1));
        assertArrayEquals(new int[] {5}, batches.get(2));
        assertArrayEquals(new int[] {6}, batches.get(3));
    }

    @Test
    void everyItemOnceInOrderAndEveryMultiItemBatchWithinBudget() {
        Random rnd = new Random(3);
        int[] lengths = rnd.ints(5_000, 1, 143).toArray();
        int[] sorted = TokenBudgetBatches.sortedByLength(lengths.length, i -> lengths[i]);
        List<int[]> batches = TokenBudgetBatches.cut(sorted, i -> lengths[i], 2048, 64);
        assertArrayEquals(sorted, batches.stream().flatMapToInt(Arrays::stream).toArray());
        for (int[] b : batches) {
            int longest = Arrays.stream(b).map(i -> lengths[i]).max().orElseThrow();
            assertTrue(b.length <= 64 && (b.length == 1 || longest * b.length <= 2048), Arrays.toString(b));
        }
    }

    @Test
    void anItemLongerThanTheBudgetRunsAlone() {
        int[] lengths = {5, 300, 5};
        List<int[]> batches = TokenBudgetBatches.cut(new int[] {0, 2, 1}, i -> lengths[i], 100, 8);
        assertArrayEquals(new int[] {0, 2}, batches.get(0));
        assertArrayEquals(new int[] {1}, batches.get(1));
    }

    @Test
    void sortingIsStableSoPlansAreReproducible() {
        int[] lengths = {7, 3, 7, 3, 7};
        assertArrayEquals(new int[] {1, 3, 0, 2, 4}, TokenBudgetBatches.sortedByLength(5, i -> lengths[i]));
        assertThrows(IllegalArgumentException.class, () -> TokenBudgetBatches.cut(new int[0], i -> 1, 0, 1));
    }
}
