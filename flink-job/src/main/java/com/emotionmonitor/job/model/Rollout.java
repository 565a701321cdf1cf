package com.emotionmonitor.job.model;

import com.emotionmonitor.store.ModelKey;
import java.util.Objects;

/**
 * A candidate version running beside the serving one: which version (a {@link ModelTarget}, verified like any
 * commanded version), as a shadow or a canary, on which share of the posts. Kept in the router's broadcast state (a
 * Flink POJO), so a restored job runs the same rollout on the same posts.
 */
public class Rollout {

    public ModelTarget target;
    public RolloutMode mode;
    /** Share of the posts, in (0, 1], chosen by {@link RolloutSampling}. */
    public double fraction;

    public Rollout() {}

    public Rollout(ModelTarget target, RolloutMode mode, double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("a " + mode + " fraction must be in (0, 1], got " + fraction);
        }
        this.target = target;
        this.mode = mode;
        this.fraction = fraction;
    }

    /**
     * A rollout as a command described it, unchecked: for the report of a command that is refused (its fraction may be
     * out of range, its version empty).
     */
    public static Rollout asCommanded(ModelTarget target, RolloutMode mode, Double fraction) {
        Rollout r = new Rollout();
        r.target = target;
        r.mode = mode;
        r.fraction = fraction == null ? 0 : fraction;
        return r;
    }

    public ModelKey key() {
        return target.key();
    }

    /** The same rollout with another trigger on its target (a restored one runs because of the restore). */
    public Rollout withTarget(ModelTarget newTarget) {
        return new Rollout(newTarget, mode, fraction);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rollout r && r.mode == mode && r.fraction == fraction && Objects.equals(r.target, target);
    }

    @Override
    public int hashCode() {
        return Objects.hash(target, mode, fraction);
    }

    @Override
    public String toString() {
        return mode + " " + (target == null ? null : target.key()) + " on " + fraction;
    }
}
