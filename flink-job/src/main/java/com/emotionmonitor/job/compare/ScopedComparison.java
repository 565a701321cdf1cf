package com.emotionmonitor.job.compare;

import java.util.Objects;

/**
 * One shadowed post's two labels in one scope: what the comparison windows keep, nothing more. Keyed by scope and
 * version pair ({@link #key}), so a shadow or serving switch inside a window gives one comparison per pair. A Flink POJO.
 */
public class ScopedComparison {

    /** Scope, serving version and shadow version: the window key. */
    public String key;
    /** {@code global} or {@code topic:<name>}, as the stats scopes. */
    public String scope;
    public String servingModel;
    public String servingVersion;
    public String shadowModel;
    public String shadowVersion;
    public String postId;
    /** Wire Emotion ordinals and confidences of both labels. */
    public int servingEmotion;
    public float servingConfidence;
    public int shadowEmotion;
    public float shadowConfidence;

    public ScopedComparison() {}

    public ScopedComparison(String scope, String servingModel, String servingVersion, String shadowModel, String shadowVersion,
                            String postId, int servingEmotion, float servingConfidence, int shadowEmotion, float shadowConfidence) {
        this.key = scope + '\n' + servingModel + '/' + servingVersion + '\n' + shadowModel + '/' + shadowVersion;
        this.scope = scope;
        this.servingModel = servingModel;
        this.servingVersion = servingVersion;
        this.shadowModel = shadowModel;
        this.shadowVersion = shadowVersion;
        this.postId = postId;
        this.servingEmotion = servingEmotion;
        this.servingConfidence = servingConfidence;
        this.shadowEmotion = shadowEmotion;
        this.shadowConfidence = shadowConfidence;
    }

    public String getKey() {
        return key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScopedComparison c && Objects.equals(c.key, key) && Objects.equals(c.postId, postId)
                && c.servingEmotion == servingEmotion && c.servingConfidence == servingConfidence
                && c.shadowEmotion == shadowEmotion && c.shadowConfidence == shadowConfidence;
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, postId, servingEmotion, servingConfidence, shadowEmotion, shadowConfidence);
    }

    @Override
    public String toString() {
        return "ScopedComparison[" + key.replace('\n', ' ') + " " + postId + " " + servingEmotion + "/" + shadowEmotion + "]";
    }
}
