package com.emotionmonitor.dashboard.web;

import java.util.Arrays;

/** The newest {@code capacity} durations of one server-side step (ms percentiles for the page and the bench). */
final class UpdateTimings {

    private final long[] nanos;
    private int next;
    private int size;
    private long count;
    private long maxNanos;

    UpdateTimings(int capacity) {
        this.nanos = new long[capacity];
    }

    synchronized void record(long durationNanos) {
        nanos[next] = durationNanos;
        next = (next + 1) % nanos.length;
        size = Math.min(size + 1, nanos.length);
        count++;
        maxNanos = Math.max(maxNanos, durationNanos);
    }

    synchronized void reset() {
        next = 0;
        size = 0;
        count = 0;
        maxNanos = 0;
    }

    synchronized long count() {
        return count;
    }

    /** {p50, p99, max} in ms of the kept samples (max: of all); zeros without samples. */
    synchronized double[] millis() {
        if (size == 0) {
            return new double[] {0, 0, 0};
        }
        long[] sorted = Arrays.copyOf(nanos, size);
        Arrays.sort(sorted);
        return new double[] {at(sorted, 50), at(sorted, 99), maxNanos / 1e6};
    }

    private static double at(long[] sorted, double p) {
        int r = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, r - 1)] / 1e6;
    }
}
