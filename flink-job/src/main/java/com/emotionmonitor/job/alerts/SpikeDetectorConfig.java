package com.emotionmonitor.job.alerts;

import java.io.Serializable;

/**
 * Thresholds of the spike detector, all configuration (job properties {@code alerts.*}).
 *
 * @param ewmaAlpha weight of the newest window in the baseline mean and variance (0.1 = about the last 10 windows)
 * @param warmupWindows windows a scope must have seen before it may alert
 * @param minWindowTotal posts a window needs before it may alert (small windows never fire)
 * @param minEmotionCount posts of the spiking emotion a window needs
 * @param minLift observed share minus baseline share, at least (absolute; 0.10 = ten points)
 * @param zLow score for a LOW alert; {@code zMedium} and {@code zHigh} for the higher severities
 * @param recoveryZ the episode ends (RECOVERY) when the score falls below this
 * @param cooldownWindows after a recovery, windows during which the same emotion cannot alert again
 * @param idleTimeoutMillis event time without stats after which a scope's state is dropped
 */
public record SpikeDetectorConfig(
        double ewmaAlpha,
        int warmupWindows,
        long minWindowTotal,
        long minEmotionCount,
        double minLift,
        double zLow,
        double zMedium,
        double zHigh,
        double recoveryZ,
        int cooldownWindows,
        long idleTimeoutMillis) implements Serializable {

    public SpikeDetectorConfig {
        if (ewmaAlpha <= 0 || ewmaAlpha > 1) {
            throw new IllegalArgumentException("alerts.ewma-alpha must be in (0, 1]: " + ewmaAlpha);
        }
        if (!(zLow <= zMedium && zMedium <= zHigh) || recoveryZ >= zLow) {
            throw new IllegalArgumentException("alert thresholds must satisfy recovery < low <= medium <= high");
        }
    }

    public static SpikeDetectorConfig defaults() {
        return new SpikeDetectorConfig(0.1, 5, 30, 8, 0.10, 4.0, 6.0, 9.0, 2.0, 3, 60 * 60 * 1000L);
    }
}
