package com.emotionmonitor.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplayClockTest {

    private static final Instant WALL = Instant.parse("2026-12-01T10:00:00Z");
    private static final long MINUTE = 60_000L;

    @Test
    void runsFasterThanTheWallClockUntilItCatchesUpThenFollowsIt() {
        ReplayClock clock = new ReplayClock(WALL, 6, Duration.ofMinutes(10));
        long wall = WALL.toEpochMilli();
        assertEquals(wall - 50 * MINUTE, clock.eventStartMillis());
        assertEquals(wall - 50 * MINUTE + 6 * MINUTE, clock.eventTimeAt(wall + MINUTE));
        assertEquals(wall + 10 * MINUTE, clock.eventTimeAt(wall + 10 * MINUTE), "caught up at the end of the catch-up");
        assertEquals(wall + 60 * MINUTE, clock.eventTimeAt(wall + 60 * MINUTE), "then it is the wall clock");
    }

    @Test
    void neverRunsAheadOfTheWallClockHoweverLongTheDemoRuns() {
        // The old replay (x6 from "now") crossed now + 1 h, the broker's limit, after 12 minutes and the demo died.
        ReplayClock clock = new ReplayClock(WALL, 6, Duration.ofMinutes(10));
        for (long t = 0; t <= 48 * 60 * MINUTE; t += 7_919) {
            long wall = WALL.toEpochMilli() + t;
            assertTrue(clock.eventTimeAt(wall) <= wall, "event time ahead of the wall clock at +" + t + " ms");
        }
    }

    @Test
    void aRunWithADurationSpansAsManyWindowsAsBefore() {
        // 30 s at x6: three minutes of event time, ending at the wall clock.
        ReplayClock clock = new ReplayClock(WALL, 6, Duration.ofSeconds(30));
        assertEquals(3 * MINUTE, clock.eventTimeAt(WALL.toEpochMilli() + 30_000) - clock.eventStartMillis());
        assertEquals(WALL.toEpochMilli() - 150_000, clock.eventTimeAfter(Duration.ZERO));
    }
}
