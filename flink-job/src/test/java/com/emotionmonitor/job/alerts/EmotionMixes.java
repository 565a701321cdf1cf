package com.emotionmonitor.job.alerts;

import java.util.Random;

/** Synthetic windows for the alert tests: emotion counts drawn from a label mix. */
final class EmotionMixes {

    private EmotionMixes() {}

    /** Counts of {@code n} posts drawn from {@code mix} (six shares summing to 1). */
    static long[] sample(Random rnd, double[] mix, int n) {
        long[] counts = new long[6];
        for (int k = 0; k < n; k++) {
            double u = rnd.nextDouble();
            int i = 0;
            while (i < 5 && u >= mix[i]) {
                u -= mix[i];
                i++;
            }
            counts[i]++;
        }
        return counts;
    }
}
