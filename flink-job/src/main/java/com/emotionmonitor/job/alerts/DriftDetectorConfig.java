package com.emotionmonitor.job.alerts;

import java.io.Serializable;

/**
 * When a scope's label mix counts as drifted from the models' reference (job properties {@code alerts.drift-*}).
 *
 * @param threshold Jensen-Shannon divergence (bits) a judged window must reach, in (0, 1]
 * @param windows judged windows in a row at or above the threshold that raise DRIFT (and below it that end it); 0 = no
 *     drift alerts
 * @param allScopes judge every scope; false: only {@code global} (a topic's own mix differs from the training mix by
 *     nature, not by drift)
 * @param minWindowTotal posts a window needs to be judged (a small window's mix is mostly noise: at 30 posts a window
 *     drawn from the reference itself scores 0.05 on average)
 */
public record DriftDetectorConfig(double threshold, int windows, boolean allScopes, long minWindowTotal) implements Serializable {

    public DriftDetectorConfig {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("alerts.drift-threshold must be in (0, 1]: " + threshold);
        }
        if (windows < 0) {
            throw new IllegalArgumentException("alerts.drift-windows must be >= 0: " + windows);
        }
        if (minWindowTotal < 1) {
            throw new IllegalArgumentException("alerts.drift-min-window-total must be >= 1: " + minWindowTotal);
        }
    }

    /**
     * 0.1 bits for 3 windows in a row of at least 100 posts, global only. Measured: the eval sets' gold mixes diverge
     * 0.016 (usual_eval) and 0.029 (virus_eval) from the served model's training mix, and the served model's own
     * predicted mixes on them 0.022 and 0.029; windows of 100 posts drawn from them score 0.025 / 0.040 on average,
     * 0.062 / 0.086 at the 99th percentile (30 posts: 0.14 / 0.17, too noisy to judge, hence the minimum). 0.1 is
     * about the usual -> virus domain change (0.11) or half the posts moving to one emotion.
     */
    public static DriftDetectorConfig defaults() {
        return new DriftDetectorConfig(0.1, 3, false, 100);
    }

    public boolean enabled() {
        return windows > 0;
    }

    public boolean judges(String scope) {
        return enabled() && (allScopes || com.emotionmonitor.job.ops.Scopes.GLOBAL.equals(scope));
    }
}
