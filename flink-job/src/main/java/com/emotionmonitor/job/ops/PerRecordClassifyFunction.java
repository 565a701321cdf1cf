package com.emotionmonitor.job.ops;

import com.emotionmonitor.store.ModelKey;
import com.emotionmonitor.job.model.ModelLease;
import com.emotionmonitor.store.ClassifierRequirements;
import com.emotionmonitor.job.model.ModelSource;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.schema.DeadLetter;
import com.emotionmonitor.schema.EmotionEvent;
import com.emotionmonitor.text.Encoding;
import java.util.List;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.types.Either;

/**
 * {@code classify.mode=per-record}: one forward pass per post, on the task thread, in a map: the pattern of DJL's
 * Flink example and of a one-row-at-a-time ML_PREDICT. It exists as the honest baseline for the micro-batched
 * {@link ClassifyAsyncFunction} ({@code bin/emotion bench pipeline} runs both on the same graph) and as a fallback
 * with no extra thread. Same contract: the stamped version labels the post, failures become dead letters.
 */
public final class PerRecordClassifyFunction extends RichMapFunction<PostToClassify, Either<DeadLetter, EmotionEvent>> {

    private static final long serialVersionUID = 1L;

    private final ModelSource models;
    private final ClassifierRequirements requirements;

    private transient ModelLease current;

    public PerRecordClassifyFunction(ModelSource models, ClassifierRequirements requirements) {
        this.models = models;
        this.requirements = requirements;
    }

    @Override
    public Either<DeadLetter, EmotionEvent> map(PostToClassify post) {
        ModelKey key;
        try {
            key = new ModelKey(post.modelName, post.modelVersion);
        } catch (IllegalArgumentException e) {
            return Either.Left(ClassifyFailures.noValidStamp(post, e));
        }
        if (post.emptyText) {
            return Either.Right(EmotionEvents.emptyText(post, key.name(), key.version()));
        }
        ModelLease lease;
        try {
            lease = leaseFor(key);
        } catch (Exception e) {
            return Either.Left(ClassifyFailures.cannotLoad(post, key, e));
        }
        try {
            Prediction p = lease.predictor().predict(List.of(new Encoding(post.tokenIds))).get(0);
            return Either.Right(EmotionEvents.labelled(post, p, key.name(), key.version()));
        } catch (RuntimeException e) {
            return Either.Left(ClassifyFailures.modelFailed(post, key, e));
        }
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
