package com.emotionmonitor.demo;

/** Latency percentiles without keeping every sample: 1 ms buckets up to 2 minutes, one overflow bucket beyond. */
final class LatencyHistogram {

    private static final int MAX_MS = 120_000;
    private final long[] buckets = new long[MAX_MS + 2];
    private long count;

    void record(long millis) {
        int bucket = (int) Math.max(0, Math.min(millis, MAX_MS + 1));
        buckets[bucket]++;
        count++;
    }

    long count() {
        return count;
    }

    /** The smallest latency that {@code p} percent of samples do not exceed; -1 without samples. */
    long percentile(double p) {
        if (count == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(p / 100.0 * count);
        long seen = 0;
        for (int ms = 0; ms < buckets.length; ms++) {
            seen += buckets[ms];
            if (seen >= Math.max(1, rank)) {
                return ms;
            }
        }
        return MAX_MS + 1;
    }
}
