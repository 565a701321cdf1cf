package com.emotionmonitor.demo;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Latency percentiles over the last {@code windowNanos} only (the whole-run histogram hides a recovery): how long a
 * burst keeps latency up, as the soak script reads it from the demo's status lines.
 */
final class RecentLatency {

    private final long windowNanos;
    private final ArrayDeque<long[]> samples = new ArrayDeque<>(); // {nanos, millis}

    RecentLatency(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    void record(long nowNanos, long millis) {
        samples.addLast(new long[] {nowNanos, millis});
        evict(nowNanos);
    }

    /** The p-th percentile of the samples of the last window, -1 without samples. */
    long percentile(long nowNanos, double p) {
        evict(nowNanos);
        if (samples.isEmpty()) {
            return -1;
        }
        long[] ms = samples.stream().mapToLong(s -> s[1]).toArray();
        Arrays.sort(ms);
        int rank = (int) Math.ceil(p / 100.0 * ms.length);
        return ms[Math.max(0, rank - 1)];
    }

    private void evict(long nowNanos) {
        while (!samples.isEmpty() && nowNanos - samples.peekFirst()[0] > windowNanos) {
            samples.removeFirst();
        }
    }
}
