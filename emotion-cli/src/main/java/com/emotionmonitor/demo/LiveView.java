package com.emotionmonitor.demo;

import com.emotionmonitor.schema.AlertKind;
import com.emotionmonitor.schema.Emotion;
import com.emotionmonitor.schema.EmotionAlert;
import com.emotionmonitor.schema.EmotionCounts;
import com.emotionmonitor.schema.EmotionStats;
import java.io.PrintStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;

/**
 * The demo's terminal view, redrawn in place on a terminal (ANSI) or printed as one status line every few seconds
 * otherwise (logs, CI).
 */
final class LiveView {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final int RATE_WINDOW_SECONDS = 5;
    private static final int ALERT_LINES = 6;

    private final PrintStream out;
    private final boolean ansi;
    private final String header;
    private final ArrayDeque<long[]> recent = new ArrayDeque<>(); // {nanos, eventsOut}
    private java.util.function.Supplier<String> modelStatus = () -> null;
    private String lastModelStatus;
    private int frames;
    /** Alerts already printed in plain mode (each is printed once, when it arrives). */
    private int alertsPrinted;

    LiveView(PrintStream out, boolean ansi, String header) {
        this.out = out;
        this.ansi = ansi;
        this.header = header;
    }

    /** Lines about the job's model versions (hot swaps, refusals), shown under the header. */
    void showModelStatus(java.util.function.Supplier<String> status) {
        this.modelStatus = status;
    }

    void render(long elapsedSeconds, String durationText, long postsIn, long malformedIn, OutputWatcher.Snapshot s, String phase) {
        String models = modelStatus.get();
        long now = System.nanoTime();
        recent.addLast(new long[] {now, s.eventsOut()});
        while (recent.size() > 1 && now - recent.peekFirst()[0] > RATE_WINDOW_SECONDS * 1_000_000_000L) {
            recent.removeFirst();
        }
        long[] first = recent.peekFirst();
        double seconds = (now - first[0]) / 1e9;
        double throughput = seconds > 0 ? (s.eventsOut() - first[1]) / seconds : 0;
        frames++;
        if (!ansi) {
            if (models != null && !models.equals(lastModelStatus)) {
                out.println(models);
                lastModelStatus = models;
            }
            List<EmotionAlert> alerts = s.alerts();
            for (; alertsPrinted < alerts.size(); alertsPrinted++) {
                out.println("ALERT " + describe(alerts.get(alertsPrinted)));
            }
            if (frames % RATE_WINDOW_SECONDS == 1) {
                out.printf(Locale.ROOT, "[%3ds %s] posts in %d, events out %d, dup %d, dead letters %d, %.1f ev/s, p50 %s,"
                                + " last 10 s p50 %s p99 %s, stats_total %d, windows %d, alerts %d%n",
                        elapsedSeconds, phase, postsIn, s.eventsOut(), s.duplicates(), s.deadLetters(), throughput,
                        ms(s.latencyP50Ms()), ms(s.recentP50Ms()), ms(s.recentP99Ms()), s.statsTotal(), s.globalWindows(),
                        s.alerts().size());
            }
            return;
        }
        StringBuilder b = new StringBuilder("\033[H\033[2J");
        b.append(header).append('\n');
        b.append(String.format(Locale.ROOT, "%s   elapsed %ds / %s   model %s%n%n", phase, elapsedSeconds, durationText,
                s.modelVersion() == null ? "(no events yet)" : s.modelVersion()));
        if (models != null) {
            b.append(models).append("\n\n");
        }
        b.append(String.format(Locale.ROOT, "posts in      %8d   (+%d malformed)%n", postsIn, malformedIn));
        b.append(String.format(Locale.ROOT, "events out    %8d   duplicates %d   dead letters %d%n", s.eventsOut(), s.duplicates(), s.deadLetters()));
        b.append(String.format(Locale.ROOT, "throughput    %8.1f events/s (last %ds)%n", throughput, RATE_WINDOW_SECONDS));
        b.append(String.format(Locale.ROOT, "latency       p50 %s  p99 %s   last 10 s: p50 %s  p99 %s   (broker ack -> visible to"
                        + " read_committed; includes the checkpoint commit)%n",
                ms(s.latencyP50Ms()), ms(s.latencyP99Ms()), ms(s.recentP50Ms()), ms(s.recentP99Ms())));
        b.append("labels so far ");
        for (Emotion e : Emotion.values()) {
            b.append(String.format(Locale.ROOT, " %s %d", e.name().toLowerCase(Locale.ROOT), s.emotionCounts()[e.ordinal()]));
        }
        b.append(String.format(Locale.ROOT, "   (empty after cleaning: %d)%n%n", s.emptyText()));
        b.append(String.format(Locale.ROOT, "stats: %d global windows closed, stats_total %d, %d scopes, %d late%n",
                s.globalWindows(), s.statsTotal(), s.scopes(), s.lateStats()));
        b.append("latest global windows (event time, UTC):\n");
        for (EmotionStats w : s.latestGlobalWindows()) {
            EmotionCounts c = w.getCounts();
            b.append(String.format(Locale.ROOT, "  %s-%s r%d  total %4d  happy %3d angry %3d sad %3d fear %3d surprise %3d neutral %3d  conf %s%n",
                    TIME.format(w.getWindowStart()), TIME.format(w.getWindowEnd()), w.getRevision(), w.getTotal(),
                    c.getHappy(), c.getAngry(), c.getSad(), c.getFear(), c.getSurprise(), c.getNeutral(),
                    w.getMeanConfidence() == null ? "-" : String.format(Locale.ROOT, "%.2f", w.getMeanConfidence())));
        }
        b.append(String.format(Locale.ROOT, "%nalerts: %d spikes, %d recoveries%s%n", s.alerts().size() - s.recoveries(),
                s.recoveries(), s.alerts().isEmpty() ? " (the detector needs a few windows of baseline first)" : ", newest first:"));
        List<EmotionAlert> alerts = s.alerts();
        for (int i = alerts.size() - 1; i >= Math.max(0, alerts.size() - ALERT_LINES); i--) {
            b.append("  ").append(describe(alerts.get(i))).append('\n');
        }
        if (s.lastDeadLetterReason() != null) {
            b.append("\nlast dead letter: ").append(s.lastDeadLetterReason()).append('\n');
        }
        b.append("\nCtrl-C stops cleanly (drains the job, then prints the summary).\n");
        out.print(b);
        out.flush();
    }

    /**
     * One line per alert: kind, severity, emotion, scope, window, observed vs baseline, score, then the example ids of a
     * SPIKE or the severity of the spike a RECOVERY ends.
     */
    static String describe(EmotionAlert a) {
        boolean spike = a.getKind() == AlertKind.SPIKE;
        String tail = spike ? (a.getExamplePostIds().isEmpty() ? "" : "  e.g. " + String.join(", ", a.getExamplePostIds()))
                : "  ends a " + a.getSeverity() + " spike";
        return String.format(Locale.ROOT, "%-8s %-6s %-8s %-16s %s-%s  %3.0f%% vs baseline %3.0f%%  z %5.1f  (%d posts)%s",
                a.getKind(), spike ? a.getSeverity() : "", a.getEmotion().name().toLowerCase(Locale.ROOT), a.getScope(),
                TIME.format(a.getWindowStart()), TIME.format(a.getWindowEnd()), 100 * a.getObserved(), 100 * a.getBaseline(),
                a.getScore(), a.getWindowTotal(), tail);
    }

    private static String ms(long millis) {
        return millis < 0 ? "-" : millis + " ms";
    }
}
