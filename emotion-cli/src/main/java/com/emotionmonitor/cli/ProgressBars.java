package com.emotionmonitor.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The CLI's progress bars, on stderr. On a terminal the bar redraws in place every second; written to a file (a
 * {@code nohup} run, a CI log) a redraw is a new line, so the bar prints one line a minute instead of flooding the log.
 */
final class ProgressBars {

    static final long TERMINAL_INTERVAL_MILLIS = 1_000;
    static final long LOG_INTERVAL_MILLIS = 60_000;

    private ProgressBars() {}

    /** A bar for {@code task} up to {@code max}; add units or build it. */
    static ProgressBarBuilder builder(String task, long max) {
        return builder(task, max, System.console() != null);
    }

    static ProgressBarBuilder builder(String task, long max, boolean terminal) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII);
        if (terminal) {
            return b.setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis((int) TERMINAL_INTERVAL_MILLIS);
        }
        return b.setConsumer(new DelegatingProgressBarConsumer(System.err::println, 100))
                .setUpdateIntervalMillis((int) LOG_INTERVAL_MILLIS);
    }
}
