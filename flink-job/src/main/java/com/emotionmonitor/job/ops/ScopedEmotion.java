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
    /** The model that labelled the post (its name and version), so a window knows whose reference its drift is against. */
    public String modelName;
    public String modelVersion;

    public ScopedEmotion() {}

    public ScopedEmotion(String scope, int emotion, float confidence, boolean emptyText, String postId) {
        this(scope, emotion, confidence, emptyText, postId, null, null);
    }

    public ScopedEmotion(String scope, int emotion, float confidence, boolean emptyText, String postId, String modelName,
                         String modelVersion) {
        this.scope = scope;
        this.emotion = emotion;
        this.confidence = confidence;
        this.emptyText = emptyText;
        this.postId = postId;
        this.modelName = modelName;
        this.modelVersion = modelVersion;
    }

    public String getScope() {
        return scope;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScopedEmotion s && s.emotion == emotion && s.confidence == confidence
                && s.emptyText == emptyText && Objects.equals(s.scope, scope) && Objects.equals(s.postId, postId)
                && Objects.equals(s.modelName, modelName) && Objects.equals(s.modelVersion, modelVersion);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scope, emotion, confidence, emptyText, postId, modelName, modelVersion);
    }

    @Override
    public String toString() {
        return "ScopedEmotion[" + scope + " " + postId + " " + emotion + " " + confidence + (emptyText ? " empty" : "") + "]";
    }
}
