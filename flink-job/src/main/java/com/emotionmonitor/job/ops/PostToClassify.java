package com.emotionmonitor.job.ops;

import com.emotionmonitor.job.io.ReceivedPost;
import java.util.Arrays;
import java.util.Objects;

/**
 * A cleaned, tokenized post on its way to the model, stamped by the model router with the model name and version
 * that must label it (and whose text pipeline produced its tokens), and, when a shadow version labels it too, with
 * that version and the tokens of its own text pipeline.
 * A Flink POJO; arrays rather than lists so no field falls back to Kryo.
 */
public class PostToClassify {

    /** The post as read, with its Kafka coordinates (for the event and for dead letters). */
    public ReceivedPost received;
    /** Token ids from the model's own text pipeline, unpadded; empty when {@link #emptyText}. */
    public int[] tokenIds;
    /** #topic# hashtags of the raw text. */
    public String[] topics;
    /** Nothing was left after cleaning: labelled NEUTRAL by rule, the model is not run. */
    public boolean emptyText;
    /** Name of the model that must label this post. */
    public String modelName;
    /** The version of that model that must label this post: the one the router served when the post passed. */
    public String modelVersion;
    /** The stamp is a canary candidate's (not the serving version's): classify leases it per post. */
    public boolean canary;
    /** Name of the shadow model that labels this post too (its label is only compared), or null: no shadow. */
    public String shadowModelName;
    /** Version of that shadow model, or null. */
    public String shadowModelVersion;
    /** Token ids from the shadow version's own text pipeline; null without a shadow, empty when {@link #shadowEmptyText}. */
    public int[] shadowTokenIds;
    /** The shadow version's pipeline left nothing: its label is NEUTRAL by rule. */
    public boolean shadowEmptyText;

    public PostToClassify() {}

    public PostToClassify(ReceivedPost received, int[] tokenIds, String[] topics, boolean emptyText, String modelName,
                          String modelVersion) {
        this.received = received;
        this.tokenIds = tokenIds;
        this.topics = topics;
        this.emptyText = emptyText;
        this.modelName = modelName;
        this.modelVersion = modelVersion;
    }

    public String postId() {
        return received.post.getId();
    }

    /** Whether a shadow version labels this post too. */
    public boolean shadowed() {
        return shadowModelVersion != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PostToClassify p && p.emptyText == emptyText && Objects.equals(p.received, received)
                && Arrays.equals(p.tokenIds, tokenIds) && Arrays.equals(p.topics, topics)
                && Objects.equals(p.modelName, modelName) && Objects.equals(p.modelVersion, modelVersion) && p.canary == canary
                && Objects.equals(p.shadowModelName, shadowModelName) && Objects.equals(p.shadowModelVersion, shadowModelVersion)
                && Arrays.equals(p.shadowTokenIds, shadowTokenIds) && p.shadowEmptyText == shadowEmptyText;
    }

    @Override
    public int hashCode() {
        return Objects.hash(received, Arrays.hashCode(tokenIds), Arrays.hashCode(topics), emptyText, modelName, modelVersion,
                canary, shadowModelName, shadowModelVersion, Arrays.hashCode(shadowTokenIds), shadowEmptyText);
    }

    @Override
    public String toString() {
        return "PostToClassify[" + postId() + ", " + (tokenIds == null ? 0 : tokenIds.length) + " tokens, model " + modelName + "/" + modelVersion
                + (canary ? " (canary)" : "") + (shadowed() ? ", shadow " + shadowModelName + "/" + shadowModelVersion : "") + "]";
    }
}
