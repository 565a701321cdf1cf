package com.emotionmonitor.demo;

import com.emotionmonitor.tools.DemoPosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.emotionmonitor.model.Emotion;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpikeBurstTest {

    private static final List<DemoPosts.SamplePost> ANGRY = List.of(
            new DemoPosts.SamplePost("1", "气死我了", "angry"), new DemoPosts.SamplePost("2", "太过分了", "angry"));

    @Test
    void byDefaultTheBurstFillsTheWindowAfterTheWarmUp() {
        // 1-minute windows at event time x6: a window is 10 s of replay; 5 warm-up windows + 1 of margin.
        Duration after = SpikeBurst.defaultAfter(Duration.ofMinutes(1), 6, 5);
        assertEquals(Duration.ofSeconds(60), after);
        SpikeBurst burst = new SpikeBurst(Emotion.ANGRY, ANGRY, 2, after, "test");
        // A 10-minute run at x6 starts its event time 50 minutes in the past.
        ReplayClock clock = new ReplayClock(Instant.parse("2026-01-01T08:50:00Z"), 6, Duration.ofMinutes(10));
        assertEquals(Instant.parse("2026-01-01T08:06:00Z").toEpochMilli(), burst.windowStart(clock, Duration.ofMinutes(1)));
    }

    @Test
    void theBurstWindowIsAlignedLikeTheTumblingWindows() {
        SpikeBurst burst = new SpikeBurst(Emotion.ANGRY, ANGRY, 1, Duration.ofSeconds(7), "test");
        ReplayClock clock = new ReplayClock(Instant.parse("2026-01-01T08:05:20Z"), 6, Duration.ofMinutes(1));
        // event time starts at 08:00:20; + 7 s x 6 = 08:01:02 -> the window [08:01, 08:02)
        assertEquals(Instant.parse("2026-01-01T08:01:00Z").toEpochMilli(), burst.windowStart(clock, Duration.ofMinutes(1)));
    }

    @Test
    void postsCycleAndBadSettingsAreRefused() {
        SpikeBurst burst = new SpikeBurst(Emotion.ANGRY, ANGRY, 1, Duration.ZERO, "test");
        assertEquals("1", burst.post(0).datasetId());
        assertEquals("2", burst.post(1).datasetId());
        assertEquals("1", burst.post(2).datasetId());
        assertThrows(IllegalArgumentException.class, () -> new SpikeBurst(Emotion.ANGRY, List.of(), 1, Duration.ZERO, "x"));
        assertThrows(IllegalArgumentException.class, () -> new SpikeBurst(Emotion.ANGRY, ANGRY, 0, Duration.ZERO, "x"));
    }
}
