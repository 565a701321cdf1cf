package com.emotionmonitor.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LengthBucketBatcherTest {

    private static long fingerprint(List<int[]> plan) {
        long h = 1;
        for (int[] b : plan) {
            h = h * 31 + Arrays.hashCode(b);
        }
        return h;
    }

    /**
     * {@code --resume} replays the data order from (seed, epoch): the plan must never change between releases, or a
     * resumed pretraining run silently trains on a different order. The figures were taken from the planner that
     * produced the published checkpoints (before the cutter was shared with evaluation and the bench).
     */
    @Test
    void thePlanOfASeedAndEpochNeverChanges() {
        int[] lengths = new Random(5).ints(20_000, 1, 143).toArray();
        List<int[]> plan = new LengthBucketBatcher(2048, 128).plan(lengths, 42L, 1);
        assertEquals(731, plan.size());
        assertEquals(-7760033644400147354L, fingerprint(plan));
        assertNotEquals(fingerprint(plan), fingerprint(new LengthBucketBatcher(2048, 128).plan(lengths, 42L, 2)),
                "another epoch, another order");
    }
}
