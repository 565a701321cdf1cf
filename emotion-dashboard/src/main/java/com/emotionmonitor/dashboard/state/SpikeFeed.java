package com.emotionmonitor.dashboard.state;

import com.emotionmonitor.schema.EmotionAlert;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** The newest {@code maxAlerts} alerts, newest first, their example ids resolved to texts when the cache has them. */
final class SpikeFeed {

    private final int maxAlerts;
    private final ArrayDeque<Entry> alerts = new ArrayDeque<>();

    private static final class Entry {
        final EmotionAlert alert;
        final String[] texts;

        Entry(EmotionAlert alert) {
            this.alert = alert;
            this.texts = new String[alert.getExamplePostIds().size()];
        }
    }

    SpikeFeed(int maxAlerts) {
        this.maxAlerts = maxAlerts;
    }

    void add(EmotionAlert alert, PostTexts texts) {
        Entry e = new Entry(alert);
        resolve(e, texts);
        alerts.addFirst(e);
        while (alerts.size() > maxAlerts) {
            alerts.removeLast();
        }
    }

    /** Texts are looked up on arrival and again here for those still missing (a post read after its alert). */
    List<Snapshot.Alert> snapshot(PostTexts texts) {
        List<Snapshot.Alert> out = new ArrayList<>(alerts.size());
        for (Entry e : alerts) {
            resolve(e, texts);
            EmotionAlert a = e.alert;
            List<Snapshot.Example> examples = new ArrayList<>(e.texts.length);
            for (int i = 0; i < e.texts.length; i++) {
                examples.add(new Snapshot.Example(a.getExamplePostIds().get(i), e.texts[i]));
            }
            out.add(new Snapshot.Alert(a.getKind().name(), a.getSeverity().name(), Emotions.label(a.getEmotion()), a.getScope(),
                    a.getWindowStart().toEpochMilli(), a.getWindowEnd().toEpochMilli(), a.getObserved(), a.getBaseline(),
                    a.getScore(), a.getWindowTotal(), a.getDetectedAt().toEpochMilli(), examples));
        }
        return out;
    }

    private static void resolve(Entry e, PostTexts texts) {
        for (int i = 0; i < e.texts.length; i++) {
            if (e.texts[i] == null) {
                PostTexts.Post p = texts.get(e.alert.getExamplePostIds().get(i));
                if (p != null) {
                    e.texts[i] = p.text();
                }
            }
        }
    }

    int size() {
        return alerts.size();
    }
}
