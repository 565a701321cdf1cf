package com.emotionmonitor.train;

import ai.djl.training.tracker.Tracker;

/**
 * Linear warm-up from 0 to the peak, then linear decay to 0 at the last step (BERT's schedule).
 *
 * <p>A resumed run may be re-planned to end sooner ({@link #shortened}): from that step the rate falls
 * linearly from whatever it was there to 0 at the new last step, so the run still ends annealed instead of
 * stopping at a high learning rate. A re-plan may also re-warm ({@link #replanned}): from that step the rate
 * climbs linearly to a new peak over some steps, then decays to 0 at the new end (a second pass over the
 * corpus after a finished, annealed run).
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
    /** Peak the re-plan climbs to over {@link #rewarmSteps} steps; unused when that is 0. */
    private final float rewarmPeak;
    private final int rewarmSteps;

    public WarmupLinearDecay(float peak, int warmupSteps, int totalSteps, int offset) {
        this(peak, warmupSteps, totalSteps, offset, 0, 0f, 0f, 0);
    }

    private WarmupLinearDecay(float peak, int warmupSteps, int totalSteps, int offset, int shortenedFrom,
            float rateAtShortening, float rewarmPeak, int rewarmSteps) {
        this.peak = peak;
        this.warmupSteps = Math.max(1, warmupSteps);
        this.totalSteps = Math.max(this.warmupSteps + 1, totalSteps);
        this.offset = offset;
        this.shortenedFrom = shortenedFrom;
        this.rateAtShortening = rateAtShortening;
        this.rewarmPeak = rewarmPeak;
        this.rewarmSteps = rewarmSteps;
    }

    /** The schedule of a run that was re-planned at {@code from} (with that step's rate) to end at {@code totalSteps}. */
    public static WarmupLinearDecay shortened(float peak, int warmupSteps, int totalSteps, int offset, int from,
            float rateAtFrom) {
        return replanned(peak, warmupSteps, totalSteps, offset, from, rateAtFrom, 0f, 0);
    }

    /**
     * The schedule of a run re-planned at {@code from} (rate {@code rateAtFrom} there): it climbs linearly to
     * {@code rewarmPeak} over {@code rewarmSteps} steps (none when 0), then decays linearly to 0 at {@code totalSteps}.
     */
    public static WarmupLinearDecay replanned(float peak, int warmupSteps, int totalSteps, int offset, int from,
            float rateAtFrom, float rewarmPeak, int rewarmSteps) {
        if (from <= 0) {
            return new WarmupLinearDecay(peak, warmupSteps, totalSteps, offset);
        }
        if (rewarmSteps < 0 || totalSteps <= from + rewarmSteps) {
            throw new IllegalArgumentException("a schedule re-planned at step " + from + " with " + rewarmSteps
                    + " re-warm steps must end after them, not at " + totalSteps);
        }
        return new WarmupLinearDecay(peak, warmupSteps, totalSteps, offset, from, rateAtFrom, rewarmPeak, rewarmSteps);
    }

    @Override
    public float getNewValue(int numUpdate) {
        return valueAt(offset + numUpdate);
    }

    public float valueAt(int step) {
        if (shortenedFrom > 0 && step >= shortenedFrom) {
            if (step < shortenedFrom + rewarmSteps) {
                return rateAtShortening + (rewarmPeak - rateAtShortening) * (step - shortenedFrom + 1) / rewarmSteps;
            }
            float top = rewarmSteps > 0 ? rewarmPeak : rateAtShortening;
            int decayFrom = shortenedFrom + rewarmSteps;
            return top * Math.max(0f, (float) (totalSteps - step) / (totalSteps - decayFrom));
        }
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        float remaining = (float) (totalSteps - step) / (totalSteps - warmupSteps);
        return peak * Math.max(0f, remaining);
    }
}
