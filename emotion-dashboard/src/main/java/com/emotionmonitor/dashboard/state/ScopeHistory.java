package com.emotionmonitor.dashboard.state;

import com.emotionmonitor.schema.EmotionStats;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** The windows of one scope, oldest first, at most {@code maxWindows}; its volume is the sum of their totals. */
final class ScopeHistory {

    private final TreeMap<Long, WindowFigures> windows = new TreeMap<>();
    private final int maxWindows;
    private long volume;

    ScopeHistory(int maxWindows) {
        this.maxWindows = maxWindows;
    }

    void apply(EmotionStats s) {
        long start = s.getWindowStart().toEpochMilli();
        WindowFigures w = windows.computeIfAbsent(start, k -> new WindowFigures(start, s.getWindowEnd().toEpochMilli()));
        volume += w.apply(s);
        while (windows.size() > maxWindows) {
            volume -= windows.pollFirstEntry().getValue().total();
        }
    }

    /** Drops the windows that end at or before {@code horizon}. */
    void forgetEndingBy(long horizon) {
        while (!windows.isEmpty() && windows.firstEntry().getValue().end <= horizon) {
            volume -= windows.pollFirstEntry().getValue().total();
        }
    }

    boolean isEmpty() {
        return windows.isEmpty();
    }

    long volume() {
        return volume;
    }

    int windowCount() {
        return windows.size();
    }

    /** The windows ending after {@code horizon}, oldest first. */
    List<Snapshot.Window> windowsAfter(long horizon) {
        List<Snapshot.Window> out = new ArrayList<>();
        for (WindowFigures w : windows.values()) {
            if (w.end > horizon) {
                out.add(new Snapshot.Window(w.start, w.end, w.revision(), w.lateRecords(), w.lateTotal(), w.total(), w.counts()));
            }
        }
        return out;
    }
}
