package com.emotionmonitor.model;

import java.util.Locale;

/**
 * The six SMP2020-EWECT classes in the model's fixed output order. The ordinal IS the logit index:
 * never reorder these constants (a model manifest records the order it was trained with).
 */
public enum Emotion {
    HAPPY,
    ANGRY,
    SAD,
    FEAR,
    SURPRISE,
    NEUTRAL;

    private static final Emotion[] VALUES = values();

    /** The lower-case label used in the data files and manifests ({@code "happy"}, ...). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The class for a data-file label; throws with the offending label when it is not one of the six. */
    public static Emotion fromLabel(String label) {
        if (label != null) {
            for (Emotion e : VALUES) {
                if (e.label().equals(label.trim().toLowerCase(Locale.ROOT))) {
                    return e;
                }
            }
        }
        throw new IllegalArgumentException(
                "unknown emotion label '" + label + "': expected one of happy, angry, sad, fear, surprise, neutral");
    }

    public static Emotion ofIndex(int index) {
        return VALUES[index];
    }

    public static int count() {
        return VALUES.length;
    }
}
