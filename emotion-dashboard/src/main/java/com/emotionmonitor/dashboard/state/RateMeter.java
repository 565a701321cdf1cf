package com.emotionmonitor.dashboard.state;

/** Records per second over the last {@code seconds} complete seconds: one counter per second in a ring. */
final class RateMeter {

    private final int seconds;
    private final long[] bucketSecond;
    private final long[] counts;
    private long total;

    RateMeter(int seconds) {
        this.seconds = seconds;
        this.bucketSecond = new long[seconds + 1];
        this.counts = new long[seconds + 1];
        java.util.Arrays.fill(bucketSecond, Long.MIN_VALUE);
    }

    void mark(long nowMillis) {
        long second = Math.floorDiv(nowMillis, 1000);
        int i = (int) Math.floorMod(second, (long) bucketSecond.length);
        if (bucketSecond[i] != second) {
            bucketSecond[i] = second;
            counts[i] = 0;
        }
        counts[i]++;
        total++;
    }

    /** Mean rate of the last complete seconds (the current one is still filling). */
    double perSecond(long nowMillis) {
        long current = Math.floorDiv(nowMillis, 1000);
        long sum = 0;
        for (int i = 0; i < bucketSecond.length; i++) {
            long s = bucketSecond[i];
            if (s < current && s >= current - seconds) {
                sum += counts[i];
            }
        }
        return (double) sum / seconds;
    }

    long total() {
        return total;
    }
}
