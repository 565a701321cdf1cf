package com.emotionmonitor.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WarmupLinearDecayTest {

    @Test
    void warmsUpThenDecaysLinearlyToZero() {
        WarmupLinearDecay lr = new WarmupLinearDecay(1f, 10, 110, 0);
        assertEquals(0.1f, lr.valueAt(0), 1e-6);
        assertEquals(1f, lr.valueAt(9), 1e-6);
        assertEquals(0.5f, lr.valueAt(60), 1e-6);
        assertEquals(0f, lr.valueAt(110), 1e-6);
        assertEquals(0f, lr.valueAt(500), 1e-6, "never negative past the end");
    }

    @Test
    void theOffsetContinuesAResumedSchedule() {
        WarmupLinearDecay lr = new WarmupLinearDecay(1f, 10, 110, 60);
        assertEquals(0.5f, lr.getNewValue(0), 1e-6);
    }

    @Test
    void aShortenedScheduleFallsFromTheRateAtTheReplanToZeroAtTheNewEnd() {
        WarmupLinearDecay lr = WarmupLinearDecay.shortened(1f, 10, 80, 0, 60, 0.5f);
        assertEquals(0.5f, lr.valueAt(60), 1e-6, "continuous where it was re-planned");
        assertEquals(0.25f, lr.valueAt(70), 1e-6);
        assertEquals(0f, lr.valueAt(80), 1e-6);
    }

    @Test
    void aRewarmedScheduleClimbsToTheNewPeakThenDecaysToZeroAtTheNewEnd() {
        // Re-planned at step 100 (rate 0.1 there): climb to 0.5 over 10 steps, then decay to 0 at step 160.
        WarmupLinearDecay lr = WarmupLinearDecay.replanned(1f, 10, 160, 0, 100, 0.1f, 0.5f, 10);
        assertEquals(0.14f, lr.valueAt(100), 1e-6, "the first re-warm step moves one tenth of the way");
        assertEquals(0.5f, lr.valueAt(109), 1e-6, "the climb ends at the new peak");
        assertEquals(0.5f, lr.valueAt(110), 1e-6, "the decay starts from the new peak");
        assertEquals(0.25f, lr.valueAt(135), 1e-6);
        assertEquals(0f, lr.valueAt(160), 1e-6);
    }

    @Test
    void aRewarmMustEndAfterItsClimb() {
        assertThrows(IllegalArgumentException.class, () -> WarmupLinearDecay.replanned(1f, 10, 110, 0, 100, 0.1f, 0.5f, 10));
    }

    @Test
    void aShortenedScheduleMustEndAfterItsReplan() {
        assertThrows(IllegalArgumentException.class, () -> WarmupLinearDecay.shortened(1f, 10, 60, 0, 60, 0.5f));
    }
}
