package com.emotionmonitor.dashboard.state;

import com.emotionmonitor.schema.EmotionStats;
import com.emotionmonitor.schema.StatsKind;

/**
 * What the stats topic says about one window of one scope: the counts of its newest WINDOW revision (a late re-firing
 * carries the window's full updated counts, so it replaces the earlier revision) plus the counts of every LATE record
 * (each counts only the events it gathered). Their sum counts every post of the window once, as the schema says.
 */
final class WindowFigures {

    final long start;
    final long end;
    /** Newest WINDOW revision applied, -1 while only LATE records were seen. */
    private int revision = -1;
    private final long[] windowCounts = new long[Emotions.COUNT];
    private final long[] lateCounts = new long[Emotions.COUNT];
    private long lateRecords;

    WindowFigures(long start, long end) {
        this.start = start;
        this.end = end;
    }

    /** @return the change of this window's total (0 for a stale or repeated revision) */
    long apply(EmotionStats s) {
        long before = total();
        if (s.getKind() == StatsKind.LATE) {
            add(lateCounts, Emotions.counts(s.getCounts()));
            lateRecords++;
        } else if (s.getRevision() > revision) {
            System.arraycopy(Emotions.counts(s.getCounts()), 0, windowCounts, 0, Emotions.COUNT);
            revision = s.getRevision();
        }
        return total() - before;
    }

    int revision() {
        return revision;
    }

    long lateRecords() {
        return lateRecords;
    }

    long lateTotal() {
        long t = 0;
        for (long c : lateCounts) {
            t += c;
        }
        return t;
    }

    /** Newest revision + LATE, per emotion. */
    long[] counts() {
        long[] out = windowCounts.clone();
        add(out, lateCounts);
        return out;
    }

    long total() {
        long t = 0;
        for (int i = 0; i < Emotions.COUNT; i++) {
            t += windowCounts[i] + lateCounts[i];
        }
        return t;
    }

    private static void add(long[] into, long[] more) {
        for (int i = 0; i < into.length; i++) {
            into[i] += more[i];
        }
    }
}
