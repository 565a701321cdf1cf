package com.emotionmonitor.train;

import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;

/**
 * Periodic training log lines (step, loss, accuracy, tokens/s, learning rate, elapsed, ETA): what a
 * nohup'd background run needs, where a terminal progress bar would only fill the log with redraws.
 */
final class ProgressLog {

    private final Logger log;
    private final String what;
    private final int totalSteps;
    private final long startNanos = System.nanoTime();
    private final int startStep;
    private long windowTokens;
    private double windowLoss;
    private long windowCorrect;
    private long windowCount;
    private int windowSteps;
    private long windowStartNanos = System.nanoTime();

    ProgressLog(Logger log, String what, int startStep, int totalSteps) {
        this.log = log;
        this.what = what;
        this.startStep = startStep;
        this.totalSteps = totalSteps;
    }

    void record(double loss, long tokens, long correct, long count) {
        windowLoss += loss;
        windowTokens += tokens;
        windowCorrect += correct;
        windowCount += count;
        windowSteps++;
    }

    /** Logs and resets the window; returns the window's mean loss. */
    double flush(int step, int epoch, float lr) {
        long now = System.nanoTime();
        double secs = Math.max(1e-9, (now - windowStartNanos) / 1e9);
        double meanLoss = windowSteps == 0 ? Double.NaN : windowLoss / windowSteps;
        // Fine-tuning records no per-step accuracy (selection reports macro-F1 instead): print a dash.
        String acc = windowCount == 0 ? "-" : String.format(Locale.ROOT, "%.3f", (double) windowCorrect / windowCount);
        double elapsed = (now - startNanos) / 1e9;
        int done = step - startStep;
        double eta = done <= 0 ? Double.NaN : elapsed / done * (totalSteps - step);
        log.info(String.format(Locale.ROOT,
                "%s step %d/%d | epoch %d | loss %.4f | acc %s | lr %.2e | %.0f tok/s | %.2f s/step | elapsed %s | eta %s",
                what, step, totalSteps, epoch, meanLoss, acc, lr, windowTokens / secs, secs / Math.max(1, windowSteps),
                hms(elapsed), Double.isNaN(eta) ? "?" : hms(eta)));
        windowLoss = 0;
        windowTokens = 0;
        windowCorrect = 0;
        windowCount = 0;
        windowSteps = 0;
        windowStartNanos = now;
        return meanLoss;
    }

    static String hms(double seconds) {
        Duration d = Duration.ofSeconds((long) seconds);
        return String.format(Locale.ROOT, "%02d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }
}
