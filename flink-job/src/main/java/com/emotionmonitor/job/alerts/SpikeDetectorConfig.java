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
        if (!(ewmaAlpha > 0 && ewmaAlpha <= 1)) {
            throw new IllegalArgumentException("alerts.ewma-alpha must be in (0, 1]: " + ewmaAlpha);
        }
        require(warmupWindows >= 0, "alerts.warmup-windows must be >= 0: " + warmupWindows);
        require(minWindowTotal >= 1, "alerts.min-window-total must be >= 1: " + minWindowTotal);
        require(minEmotionCount >= 1, "alerts.min-emotion-count must be >= 1: " + minEmotionCount);
        require(minLift >= 0 && minLift < 1, "alerts.min-lift must be in [0, 1): " + minLift);
        require(zLow > 0 && zLow <= zMedium && zMedium <= zHigh && recoveryZ < zLow,
                "alert thresholds must satisfy alerts.recovery-z (" + recoveryZ + ") < alerts.z-low (" + zLow
                        + ") <= alerts.z-medium (" + zMedium + ") <= alerts.z-high (" + zHigh + "), z-low > 0");
        require(cooldownWindows >= 0, "alerts.cooldown-windows must be >= 0: " + cooldownWindows);
        require(idleTimeoutMillis > 0, "alerts.idle-timeout must be positive: " + idleTimeoutMillis + " ms");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public static SpikeDetectorConfig defaults() {
        return new SpikeDetectorConfig(0.1, 5, 30, 8, 0.10, 4.0, 6.0, 9.0, 2.0, 3, 60 * 60 * 1000L);
    }
}
