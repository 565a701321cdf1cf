package com.emotionmonitor.train;

import ai.djl.training.tracker.Tracker;

/**
 * Linear warm-up from 0 to the peak, then linear decay to 0 at the last step (BERT's schedule).
 *
 * <p>A resumed run may be re-planned to end sooner ({@link #shortened}): from that step the rate falls
 * linearly from whatever it was there to 0 at the new last step, so the run still ends annealed instead of
 * stopping at a high learning rate.
 */
public final class WarmupLinearDecay implements Tracker {

    private final float peak;
    private final int warmupSteps;
    private final int totalSteps;
    /** Steps already taken before this tracker's first update (a resumed run continues the schedule). */
    private final int offset;
    /** Step from which the shortened decay applies; 0 when the schedule was never shortened. */
    private final int shortenedFrom;
    private final float rateAtShortening;

    public WarmupLinearDecay(float peak, int warmupSteps, int totalSteps, int offset) {
        this(peak, warmupSteps, totalSteps, offset, 0, 0f);
    }

    private WarmupLinearDecay(float peak, int warmupSteps, int totalSteps, int offset, int shortenedFrom,
            float rateAtShortening) {
        this.peak = peak;
        this.warmupSteps = Math.max(1, warmupSteps);
        this.totalSteps = Math.max(this.warmupSteps + 1, totalSteps);
        this.offset = offset;
        this.shortenedFrom = shortenedFrom;
        this.rateAtShortening = rateAtShortening;
    }

    /** The schedule of a run that was re-planned at {@code from} (with that step's rate) to end at {@code totalSteps}. */
    public static WarmupLinearDecay shortened(float peak, int warmupSteps, int totalSteps, int offset, int from,
            float rateAtFrom) {
        if (from <= 0) {
            return new WarmupLinearDecay(peak, warmupSteps, totalSteps, offset);
        }
        if (totalSteps <= from) {
            throw new IllegalArgumentException("a schedule shortened at step " + from + " must end after it, not at " + totalSteps);
        }
        return new WarmupLinearDecay(peak, warmupSteps, totalSteps, offset, from, rateAtFrom);
    }

    @Override
    public float getNewValue(int numUpdate) {
        return valueAt(offset + numUpdate);
    }

    public float valueAt(int step) {
        if (shortenedFrom > 0 && step >= shortenedFrom) {
            return rateAtShortening * Math.max(0f, (float) (totalSteps - step) / (totalSteps - shortenedFrom));
        }
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        float remaining = (float) (totalSteps - step) / (totalSteps - warmupSteps);
        return peak * Math.max(0f, remaining);
    }
}
