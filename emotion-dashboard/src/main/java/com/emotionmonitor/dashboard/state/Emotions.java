package com.emotionmonitor.dashboard.state;

import com.emotionmonitor.schema.Emotion;
import com.emotionmonitor.schema.EmotionCounts;
import java.util.List;
import java.util.Locale;

/** The six emotions in the wire order (schema {@code Emotion}), and their counts as arrays in that order. */
public final class Emotions {

    public static final int COUNT = Emotion.values().length;

    /** Lower-case labels in wire order: happy, angry, sad, fear, surprise, neutral. */
    public static final List<String> LABELS = java.util.Arrays.stream(Emotion.values())
            .map(e -> e.name().toLowerCase(Locale.ROOT)).toList();

    private Emotions() {}

    public static long[] counts(EmotionCounts c) {
        return new long[] {c.getHappy(), c.getAngry(), c.getSad(), c.getFear(), c.getSurprise(), c.getNeutral()};
    }

    public static String label(Emotion e) {
        return LABELS.get(e.ordinal());
    }
}
