package com.emotionmonitor.train;

import com.emotionmonitor.model.Emotion;
import java.util.Locale;
import java.util.Map;

/**
 * How a labelled file spells its classes, and how those map onto the six SMP2020-EWECT classes. Extra
 * supervision (../shared/data/weibo-extra) comes from NLPCC 2014 and CLUEEmotion2020, which share one tag
 * set: like, happiness, sadness, disgust, anger, surprise, fear, and NLPCC's none.
 */
public enum LabelScheme {

    /** The six SMP2020-EWECT labels, as spelled in the SMP files. */
    SMP2020("smp2020", "happy, angry, sad, fear, surprise, neutral, unchanged"),

    /**
     * NLPCC 2014 / CLUEEmotion2020 tags. SMP's 积极 covers both like and happiness and its 愤怒 covers anger and
     * disgust; a multi-label NLPCC row ({@code "like,happiness"}) counts with its first (primary) tag.
     */
    NLPCC("nlpcc", "none->neutral, like|happiness->happy, anger|disgust->angry, sadness->sad, fear->fear, "
            + "surprise->surprise; first tag of a multi-label row");

    private static final Map<String, Emotion> NLPCC_TAGS = Map.of(
            "none", Emotion.NEUTRAL,
            "like", Emotion.HAPPY,
            "happiness", Emotion.HAPPY,
            "anger", Emotion.ANGRY,
            "disgust", Emotion.ANGRY,
            "sadness", Emotion.SAD,
            "fear", Emotion.FEAR,
            "surprise", Emotion.SURPRISE);

    private final String id;
    private final String mapping;

    LabelScheme(String id, String mapping) {
        this.id = id;
        this.mapping = mapping;
    }

    /** The class for one row's label; throws with the offending label when the scheme does not know it. */
    public Emotion toEmotion(String label) {
        if (this == SMP2020) {
            return Emotion.fromLabel(label);
        }
        String primary = label == null ? "" : label.split(",", -1)[0].trim().toLowerCase(Locale.ROOT);
        Emotion e = NLPCC_TAGS.get(primary);
        if (e == null) {
            throw new IllegalArgumentException("unknown " + id + " tag '" + label + "': expected one of " + NLPCC_TAGS.keySet());
        }
        return e;
    }

    public String id() {
        return id;
    }

    /** The mapping in words, for manifests. */
    public String mapping() {
        return mapping;
    }
}
