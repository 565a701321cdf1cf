package com.emotionmonitor.job.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class BoundedTimestampsTest {

    private static final long NOW = 1_780_000_000_000L;

    @Test
    void aTimestampAheadOfTheClockIsTheClockAndANegativeOneIsNone() {
        assertEquals(NOW - 5, BoundedTimestamps.bound(NOW - 5, NOW));
        assertEquals(NOW, BoundedTimestamps.bound(Long.MAX_VALUE, NOW), "the end of event time, say");
        assertEquals(NOW, BoundedTimestamps.bound(NOW + 3_600_001, NOW), "beyond the broker's default limit");
        assertNull(BoundedTimestamps.bound(-1L, NOW), "the producer would refuse it");
        assertNull(BoundedTimestamps.bound(null, NOW));
    }
}
