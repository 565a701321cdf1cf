package com.emotionmonitor.job.ops;

import com.emotionmonitor.job.model.ModelLease;
import com.emotionmonitor.job.model.ModelSource;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.store.ClassifierRequirements;
import com.emotionmonitor.store.ModelKey;
import com.emotionmonitor.text.Encoding;
import java.util.List;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * {@code classify.mode=per-record}: one forward pass per post, on the task thread, in a map: the pattern of DJL's
 * Flink example and of a one-row-at-a-time ML_PREDICT. It exists as the honest baseline for the micro-batched
 * {@link ClassifyAsyncFunction} ({@code bin/emotion bench pipeline} runs both on the same graph) and as a fallback
 * with no extra thread. Same contract: the stamped version labels the post, failures become dead letters, a canary
 * stamp is leased per post, a shadowed post gets a second pass with the shadow version (skipped when it is not
 * resident or fails: the post keeps its event).
 */
public final class PerRecordClassifyFunction extends RichMapFunction<PostToClassify, ClassifiedPost> {

    private static final long serialVersionUID = 2L;

    private final ModelSource models;
    private final ClassifierRequirements requirements;

    private transient ModelLease current;

    public PerRecordClassifyFunction(ModelSource models, ClassifierRequirements requirements) {
        this.models = models;
        this.requirements = requirements;
    }

    @Override
    public ClassifiedPost map(PostToClassify post) {
        ClassifiedPost out = label(post);
        if (post.shadowed() && out.isLabelled()) {
            out.shadow = shadow(post);
        }
        return out;
    }

    private ClassifiedPost label(PostToClassify post) {
        ModelKey key;
        try {
            key = new ModelKey(post.modelName, post.modelVersion);
        } catch (IllegalArgumentException e) {
            return ClassifiedPost.failed(ClassifyFailures.noValidStamp(post, e));
        }
        if (post.emptyText) {
            return ClassifiedPost.labelled(EmotionEvents.emptyText(post, key.name(), key.version()));
        }
        ModelLease lease;
        try {
            lease = post.canary ? perPost(key) : leaseFor(key);
        } catch (Exception e) {
            return ClassifiedPost.failed(ClassifyFailures.cannotLoad(post, key, e));
        }
        try {
            Prediction p = lease.predictor().predict(List.of(new Encoding(post.tokenIds))).get(0);
            return ClassifiedPost.labelled(EmotionEvents.labelled(post, p, key.name(), key.version()));
        } catch (RuntimeException e) {
            return ClassifiedPost.failed(ClassifyFailures.modelFailed(post, key, e));
        } finally {
            if (post.canary) {
                lease.close();
            }
        }
    }

    /** The shadow's label, or null when it is not resident or fails. */
    private ShadowLabel shadow(PostToClassify post) {
        ModelKey key;
        try {
            key = new ModelKey(post.shadowModelName, post.shadowModelVersion);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (post.shadowEmptyText) {
            return ShadowLabel.emptyText(key);
        }
        try (ModelLease lease = models.registry().acquireIfLoaded(key)) {
            return lease == null ? null : ShadowLabel.of(key, lease.predictor().predict(List.of(new Encoding(post.shadowTokenIds))).get(0));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A lease for one canary post: the resident candidate, else loaded (blocking). */
    private ModelLease perPost(ModelKey key) throws Exception {
        ModelLease lease = models.registry().acquireIfLoaded(key);
        return lease != null ? lease : models.registry().prepare(models.restoreTarget(key), requirements).get();
    }

    /** The lease on the stamped version, kept while stamps stay the same; loaded (blocking) when not resident. */
    private ModelLease leaseFor(ModelKey key) throws Exception {
        if (current != null && current.key().equals(key)) {
            return current;
        }
        ModelLease next = models.registry().acquireIfLoaded(key);
        if (next == null) {
            next = models.registry().prepare(models.restoreTarget(key), requirements).get();
        }
        if (current != null) {
            current.close();
        }
        current = next;
        return next;
    }

    @Override
    public void close() {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
