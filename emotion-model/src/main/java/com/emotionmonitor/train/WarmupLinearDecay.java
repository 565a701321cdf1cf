package com.emotionmonitor.train;

import ai.djl.training.tracker.Tracker;

/** Linear warm-up from 0 to the peak, then linear decay to 0 at the last step (BERT's schedule). */
public final class WarmupLinearDecay implements Tracker {

    private final float peak;
    private final int warmupSteps;
    private final int totalSteps;
    /** Steps already taken before this tracker's first update (a resumed run continues the schedule). */
    private final int offset;

    public WarmupLinearDecay(float peak, int warmupSteps, int totalSteps, int offset) {
        this.peak = peak;
        this.warmupSteps = Math.max(1, warmupSteps);
        this.totalSteps = Math.max(this.warmupSteps + 1, totalSteps);
        this.offset = offset;
    }

    @Override
    public float getNewValue(int numUpdate) {
        return valueAt(offset + numUpdate);
    }

    public float valueAt(int step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        float remaining = (float) (totalSteps - step) / (totalSteps - warmupSteps);
        return peak * Math.max(0f, remaining);
    }
}
