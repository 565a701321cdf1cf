package com.emotionmonitor.job.alerts;

/**
 * Decides, window by window, whether a scope's label mix has drifted from the models' reference for long enough to
 * say so: {@code windows} judged windows in a row at or above the threshold open an episode (DRIFT), as many in a row
 * below it close it (RECOVERY). The same number both ways, so one noisy window neither raises nor ends an episode,
 * and an episode cannot flap. Windows without a drift figure (no reference) or below the minimum total are not
 * judged and leave the run as it is. Pure and deterministic; the state lives in the scope's {@link ScopeBaseline}.
 */
public final class DriftDetector {

    public enum Kind { DRIFT, RECOVERY }

    /** An episode opened or closed by the window just judged; {@code mean} is the mean divergence of the deciding run. */
    public record Decision(Kind kind, double divergence, double mean, int windows) {}

    private final DriftDetectorConfig config;

    public DriftDetector(DriftDetectorConfig config) {
        this.config = config;
    }

    /** Folds one window's divergence into the state; the decision it causes, or null. */
    public Decision observe(ScopeBaseline state, double divergence, long total) {
        if (!config.enabled() || total < config.minWindowTotal() || Double.isNaN(divergence)) {
            return null;
        }
        boolean above = divergence >= config.threshold();
        if (above != state.driftAlerting) { // a window on the other side of the threshold than the episode state
            state.driftRun++;
            state.driftSum += divergence;
        } else {
            state.driftRun = 0;
            state.driftSum = 0;
        }
        if (state.driftRun < config.windows()) {
            return null;
        }
        Decision d = new Decision(above ? Kind.DRIFT : Kind.RECOVERY, divergence, state.driftSum / state.driftRun, state.driftRun);
        state.driftAlerting = above;
        state.driftRun = 0;
        state.driftSum = 0;
        return d;
    }
}
