package com.emotionmonitor.job.alerts;

import com.emotionmonitor.model.Emotion;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides, window by window, whether an emotion's share in a scope spiked above its baseline.
 *
 * <p>Baseline: per emotion, an exponentially weighted mean and variance of the share (EWMA: recent
 * windows count most, old ones fade, no window buffer to keep). Score: a z-score of the observed share
 * whose variance is the baseline's own variance PLUS the binomial sampling variance p(1-p)/n of this
 * window, so a window of 12 posts cannot look extreme just because it is small. On top of that a window
 * needs a minimum total, a minimum count of the emotion and a minimum absolute lift.
 *
 * <p>Why EWMA of the share rather than a sliding window of counts or a seasonal model: the state is two
 * doubles per emotion and scope whatever the history (topics come and go by the thousand), it follows
 * slow drifts of the mix (news cycles, a model upgrade) while a one-window burst moves it by only
 * {@code ewmaAlpha}, and its variance measures how much this scope's mix really wanders between windows,
 * which the sampling term alone (pure binomial noise) underestimates for real traffic. Shares, not
 * counts, so that volume changes (day and night) do not look like emotion spikes. Daily seasonality of
 * the mix is not modelled: the lift and z thresholds absorb it at one-minute windows.
 *
 * <p>Two refinements over a textbook EWMA: windows with fewer than {@code minWindowTotal} posts are
 * neither judged nor learned from (a 3-post window would seed or jolt the baseline with a share that is
 * mostly noise), and the first windows use the running mean ({@code alpha = max(ewmaAlpha, 1/(n+1))},
 * the bias correction of a zero- or first-window-started EWMA), so that after the warm-up the baseline is
 * the plain mean and variance of the warm-up windows instead of leaning on the first one.
 *
 * <p>Episodes: a spike raises one SPIKE; while it lasts the baseline is frozen (it must not learn the
 * spike as normal) and nothing more is raised; when the score falls below the recovery threshold one
 * RECOVERY is emitted, followed by a cooldown of a few windows. Pure and deterministic: the Flink
 * function around it only stores the state and emits records.
 */
public final class SpikeDetector {

    private final SpikeDetectorConfig config;

    public SpikeDetector(SpikeDetectorConfig config) {
        this.config = config;
    }

    public enum Kind { SPIKE, RECOVERY }

    public enum Severity { LOW, MEDIUM, HIGH }

    /** What one window produced for one emotion. */
    public record Decision(Kind kind, Emotion emotion, double observed, double baseline, double score, Severity severity) {}

    /**
     * Folds one window of counts into the state and returns the SPIKE/RECOVERY decisions it causes. A window
     * below {@code minWindowTotal} posts changes nothing but {@code lastWindowEnd}.
     */
    public List<Decision> observe(ScopeBaseline state, long[] counts, long total, long windowEnd) {
        List<Decision> out = new ArrayList<>();
        state.lastWindowEnd = Math.max(state.lastWindowEnd, windowEnd);
        if (total <= 0 || total < config.minWindowTotal()) {
            return out;
        }
        boolean warm = state.windows >= config.warmupWindows();
        for (Emotion e : Emotion.values()) {
            int i = e.ordinal();
            double share = (double) counts[i] / total;
            double base = state.mean[i];
            double score = score(share, base, state.variance[i], total);
            switch (state.status[i]) {
                case ScopeBaseline.ALERTING -> {
                    if (score < config.recoveryZ()) {
                        out.add(new Decision(Kind.RECOVERY, e, share, base, score, Severity.values()[state.episodeSeverity[i]]));
                        state.status[i] = config.cooldownWindows() > 0 ? ScopeBaseline.COOLDOWN : ScopeBaseline.NORMAL;
                        state.cooldownLeft[i] = config.cooldownWindows();
                        update(state, i, share);
                    }
                }
                case ScopeBaseline.COOLDOWN -> {
                    if (--state.cooldownLeft[i] <= 0) {
                        state.status[i] = ScopeBaseline.NORMAL;
                    }
                    update(state, i, share);
                }
                default -> {
                    if (warm && isSpike(share, base, score, counts[i], total)) {
                        Severity severity = severity(score);
                        out.add(new Decision(Kind.SPIKE, e, share, base, score, severity));
                        state.status[i] = ScopeBaseline.ALERTING;
                        state.episodeSeverity[i] = severity.ordinal();
                    } else {
                        update(state, i, share);
                    }
                }
            }
        }
        state.windows++;
        return out;
    }

    private boolean isSpike(double share, double base, double score, long count, long total) {
        return total >= config.minWindowTotal()
                && count >= config.minEmotionCount()
                && share - base >= config.minLift()
                && score >= config.zLow();
    }

    /** z of the observed share against the baseline, with the window's own sampling noise included. */
    double score(double share, double base, double variance, long total) {
        double p = Math.min(0.99, Math.max(0.01, base));
        double sampling = p * (1 - p) / total;
        return (share - base) / Math.sqrt(variance + sampling);
    }

    private Severity severity(double score) {
        if (score >= config.zHigh()) {
            return Severity.HIGH;
        }
        return score >= config.zMedium() ? Severity.MEDIUM : Severity.LOW;
    }

    /**
     * EWMA mean and variance (West's incremental form). Until 1/alpha windows are in, the weight of the new window
     * is 1/(n+1): the exact running mean and variance (the first window seeds the mean with variance 0).
     */
    private void update(ScopeBaseline s, int i, double share) {
        double a = Math.max(config.ewmaAlpha(), 1.0 / (s.windows + 1));
        double diff = share - s.mean[i];
        double incr = a * diff;
        s.mean[i] += incr;
        s.variance[i] = (1 - a) * (s.variance[i] + diff * incr);
    }
}
