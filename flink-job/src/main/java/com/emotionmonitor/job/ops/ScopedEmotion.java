package com.emotionmonitor.job.ops;

import java.util.Objects;

/** One event's contribution to the statistics of one scope: what the windows keep, nothing more. A Flink POJO. */
public class ScopedEmotion {

    /** {@link Scopes#GLOBAL} or {@code topic:<name>}. */
    public String scope;
    /** Ordinal of the wire {@link com.emotionmonitor.schema.Emotion}. */
    public int emotion;
    public float confidence;
    public boolean emptyText;
    /** The post, so that a window can keep a few example ids per emotion. */
    public String postId;

    public ScopedEmotion() {}

    public ScopedEmotion(String scope, int emotion, float confidence, boolean emptyText, String postId) {
        this.scope = scope;
        this.emotion = emotion;
        this.confidence = confidence;
        this.emptyText = emptyText;
        this.postId = postId;
    }

    public String getScope() {
        return scope;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScopedEmotion s && s.emotion == emotion && s.confidence == confidence
                && s.emptyText == emptyText && Objects.equals(s.scope, scope) && Objects.equals(s.postId, postId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scope, emotion, confidence, emptyText, postId);
    }

    @Override
    public String toString() {
        return "ScopedEmotion[" + scope + " " + postId + " " + emotion + " " + confidence + (emptyText ? " empty" : "") + "]";
    }
}
