package com.emotionmonitor.job.ops;

import com.emotionmonitor.schema.Emotion;
import com.emotionmonitor.schema.EmotionCounts;
import com.emotionmonitor.schema.EmotionExamples;
import java.util.List;

/** Reads the per-emotion fields of {@link com.emotionmonitor.schema.EmotionStats} by {@link Emotion}. */
public final class EmotionStatsFields {

    private EmotionStatsFields() {}

    /** Counts in Emotion ordinal order (the wire and the model enums share it). */
    public static long[] counts(EmotionCounts c) {
        return new long[] {c.getHappy(), c.getAngry(), c.getSad(), c.getFear(), c.getSurprise(), c.getNeutral()};
    }

    public static long count(EmotionCounts c, Emotion emotion) {
        return counts(c)[emotion.ordinal()];
    }

    /** The example post ids of one emotion; empty for records written before examples existed. */
    public static List<String> examples(EmotionExamples examples, Emotion emotion) {
        if (examples == null) {
            return List.of();
        }
        return switch (emotion) {
            case HAPPY -> examples.getHappy();
            case ANGRY -> examples.getAngry();
            case SAD -> examples.getSad();
            case FEAR -> examples.getFear();
            case SURPRISE -> examples.getSurprise();
            case NEUTRAL -> examples.getNeutral();
        };
    }
}
