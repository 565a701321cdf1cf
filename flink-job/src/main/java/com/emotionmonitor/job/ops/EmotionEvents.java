package com.emotionmonitor.job.ops;

import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.schema.Emotion;
import com.emotionmonitor.schema.EmotionEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds {@link EmotionEvent}s: from a model prediction, or by rule for posts that were empty after cleaning. */
public final class EmotionEvents {

    private EmotionEvents() {}

    public static EmotionEvent labelled(PostToClassify post, Prediction prediction, String modelName, String modelVersion) {
        return build(post, toWire(prediction.emotion()), prediction.probabilities(), false, modelName, modelVersion);
    }

    /** NEUTRAL, one-hot, flagged: the model never saw this post (nothing it can read, see PreparedText#isEmpty). */
    public static EmotionEvent emptyText(PostToClassify post, String modelName, String modelVersion) {
        Prediction rule = Prediction.emptyText();
        return build(post, toWire(rule.emotion()), rule.probabilities(), true, modelName, modelVersion);
    }

    /** The model's class as the wire enum; both enums list the six classes in the same (logit) order. */
    public static Emotion toWire(com.emotionmonitor.model.Emotion emotion) {
        return Emotion.values()[emotion.ordinal()];
    }

    private static EmotionEvent build(PostToClassify post, Emotion emotion, float[] probabilities, boolean emptyText,
                                      String modelName, String modelVersion) {
        List<Float> probs = new ArrayList<>(probabilities.length);
        for (float p : probabilities) {
            probs.add(p);
        }
        return EmotionEvent.newBuilder()
                .setPostId(post.postId())
                .setCreatedAt(post.received.post.getCreatedAt())
                .setEmotion(emotion)
                .setProbabilities(probs)
                .setConfidence(probabilities[emotion.ordinal()])
                .setTopics(post.topics == null ? List.of() : Arrays.asList(post.topics))
                .setEmptyText(emptyText)
                .setAdjustedEventTime(post.received.eventTimeAdjusted() ? Instant.ofEpochMilli(post.received.eventTime) : null)
                .setInvalidUtf8(post.received.invalidUtf8)
                .setModelName(modelName)
                .setModelVersion(modelVersion)
                .setProcessedAt(Instant.now())
                .build();
    }
}
