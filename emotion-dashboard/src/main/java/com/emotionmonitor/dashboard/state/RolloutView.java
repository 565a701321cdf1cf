package com.emotionmonitor.dashboard.state;

import com.emotionmonitor.schema.DriftAlert;
import com.emotionmonitor.schema.ModelComparison;
import com.emotionmonitor.schema.StatsKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A shadow's comparisons with the serving version and the drift alerts, as the page shows them: per window of the
 * global scope and version pair, the newest WINDOW revision plus the window's LATE records (as the stats are counted),
 * the newest {@code maxWindows} windows; and the newest {@code maxDrift} drift alerts of any scope.
 */
final class RolloutView {

    private final int maxWindows;
    private final int maxDrift;
    /** A window of the global scope and the version pair compared in it ({@code model/version} each). */
    private record Key(long windowStart, String serving, String shadow) {}

    private static final Comparator<Key> ORDER = Comparator.comparingLong(Key::windowStart).thenComparing(Key::serving)
            .thenComparing(Key::shadow);

    private final TreeMap<Key, Figures> windows = new TreeMap<>(ORDER);
    private final ArrayDeque<DriftAlert> drift = new ArrayDeque<>();

    private static final class Figures {
        /** The newest WINDOW revision, or null when only LATE records were seen. */
        ModelComparison window;
        ModelComparison firstLate;
        long lateCompared;
        long lateAgreed;
    }

    RolloutView(int maxWindows, int maxDrift) {
        this.maxWindows = maxWindows;
        this.maxDrift = maxDrift;
    }

    void add(ModelComparison c) {
        if (!ScopeHistories.GLOBAL.equals(c.getScope())) {
            return; // the page compares the versions over all posts; per-topic comparisons stay on the topic
        }
        Key key = new Key(c.getWindowStart().toEpochMilli(), c.getServingModel() + "/" + c.getServingVersion(),
                c.getShadowModel() + "/" + c.getShadowVersion());
        Figures f = windows.computeIfAbsent(key, k -> new Figures());
        if (c.getKind() == StatsKind.LATE) {
            f.lateCompared += c.getCompared();
            f.lateAgreed += c.getAgreed();
            if (f.firstLate == null) {
                f.firstLate = c;
            }
        } else if (f.window == null || c.getRevision() >= f.window.getRevision()) {
            f.window = c; // a revision replaces the earlier figures of its window
        }
        while (windows.size() > maxWindows) {
            windows.pollFirstEntry();
        }
    }

    void add(DriftAlert a) {
        drift.addFirst(a);
        while (drift.size() > maxDrift) {
            drift.removeLast();
        }
    }

    Snapshot.Rollout snapshot(PostTexts texts) {
        List<Snapshot.Comparison> out = new ArrayList<>(windows.size());
        for (Map.Entry<Key, Figures> e : windows.descendingMap().entrySet()) {
            Figures f = e.getValue();
            ModelComparison c = f.window != null ? f.window : f.firstLate;
            long compared = (f.window == null ? 0 : f.window.getCompared()) + f.lateCompared;
            long agreed = (f.window == null ? 0 : f.window.getAgreed()) + f.lateAgreed;
            List<Snapshot.Disagreement> examples = new ArrayList<>();
            c.getDisagreements().forEach(d -> {
                PostTexts.Post p = texts.get(d.getPostId());
                examples.add(new Snapshot.Disagreement(d.getPostId(), p == null ? null : p.text(), Emotions.label(d.getServingEmotion()),
                        d.getServingConfidence(), Emotions.label(d.getShadowEmotion()), d.getShadowConfidence()));
            });
            out.add(new Snapshot.Comparison(c.getWindowStart().toEpochMilli(), c.getWindowEnd().toEpochMilli(),
                    e.getKey().serving(), e.getKey().shadow(), compared, agreed,
                    compared == 0 ? null : (double) agreed / compared, f.lateCompared, examples));
        }
        List<Snapshot.Drift> alerts = new ArrayList<>(drift.size());
        for (DriftAlert a : drift) {
            alerts.add(new Snapshot.Drift(a.getKind().name(), a.getScope(), a.getWindowStart().toEpochMilli(),
                    a.getWindowEnd().toEpochMilli(), a.getDivergence(), a.getMeanDivergence(), a.getThreshold(), a.getWindows(),
                    a.getWindowTotal(), a.getDetectedAt().toEpochMilli()));
        }
        return new Snapshot.Rollout(out, alerts);
    }
}
