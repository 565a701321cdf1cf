package com.emotionmonitor.dashboard.state;

import java.util.Arrays;

/**
 * End-to-end latency percentiles over the last {@code windowMillis}: a ring of the newest {@code capacity} samples
 * (time seen, latency), so memory is fixed whatever the rate; past the capacity the window is the newest samples.
 */
final class LatencyWindow {

    private final long windowMillis;
    private final long[] at;
    private final long[] millis;
    private int next;
    private int size;

    LatencyWindow(long windowMillis, int capacity) {
        this.windowMillis = windowMillis;
        this.at = new long[capacity];
        this.millis = new long[capacity];
    }

    void record(long nowMillis, long latencyMillis) {
        at[next] = nowMillis;
        millis[next] = Math.max(0, latencyMillis);
        next = (next + 1) % at.length;
        size = Math.min(size + 1, at.length);
    }

    /** p50, p99 (ms) and the sample count of the window; -1 without samples. */
    long[] percentiles(long nowMillis) {
        long[] recent = new long[size];
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (nowMillis - at[i] <= windowMillis) {
                recent[n++] = millis[i];
            }
        }
        if (n == 0) {
            return new long[] {-1, -1, 0};
        }
        Arrays.sort(recent, 0, n);
        return new long[] {rank(recent, n, 50), rank(recent, n, 99), n};
    }

    private static long rank(long[] sorted, int n, double p) {
        int r = (int) Math.ceil(p / 100.0 * n);
        return sorted[Math.max(0, r - 1)];
    }
}
