package com.emotionmonitor.demo;

import java.time.Duration;
import java.time.Instant;

/**
 * The demo's replayed event time: it starts {@code (speedup - 1) x catchUp} in the past and runs {@code speedup}
 * times faster than the wall clock, so a short run spans several windows, until it has caught up with the wall clock
 * after {@code catchUp}; from then on it is the wall clock. It never runs ahead of it: the demo can run for as long as
 * the user wants without producing a post from the future (which the broker would refuse beyond an hour, and which
 * would push the watermark past every real post).
 */
public final class ReplayClock {

    private final long wallStartMillis;
    private final long eventStartMillis;
    private final int speedup;

    /**
     * @param wallStart when the replay starts (the first post)
     * @param catchUp how long the replay runs accelerated (the demo's duration, or a default when it runs until stopped)
     */
    public ReplayClock(Instant wallStart, int speedup, Duration catchUp) {
        if (speedup < 1) {
            throw new IllegalArgumentException("event-time speedup must be >= 1: " + speedup);
        }
        if (catchUp.isNegative()) {
            throw new IllegalArgumentException("catch-up must not be negative: " + catchUp);
        }
        this.wallStartMillis = wallStart.toEpochMilli();
        this.eventStartMillis = wallStartMillis - (speedup - 1L) * catchUp.toMillis();
        this.speedup = speedup;
    }

    /** Event time of the first post. */
    public long eventStartMillis() {
        return eventStartMillis;
    }

    /** The replayed event time at the wall-clock time {@code wallMillis}: never later than {@code wallMillis}. */
    public long eventTimeAt(long wallMillis) {
        long elapsed = Math.max(0, wallMillis - wallStartMillis);
        return Math.min(eventStartMillis + speedup * elapsed, wallMillis);
    }

    /** The replayed event time {@code after} the first post. */
    public long eventTimeAfter(Duration after) {
        return eventTimeAt(wallStartMillis + after.toMillis());
    }
}
