package com.emotionmonitor.job.ops;

import com.emotionmonitor.job.io.DeadLetters;
import com.emotionmonitor.job.metrics.BatchMetrics;
import com.emotionmonitor.job.model.DeviceBatcher;
import com.emotionmonitor.store.ModelKey;
import com.emotionmonitor.job.model.ModelLease;
import com.emotionmonitor.store.ClassifierRequirements;
import com.emotionmonitor.job.model.ModelSource;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.schema.FailureStage;
import com.emotionmonitor.serving.BatchLimits;
import com.emotionmonitor.serving.MicroBatcher;
import com.emotionmonitor.text.Encoding;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * Labels each post with the model version it is stamped with (and a shadowed post with its shadow version too),
 * through the TaskManager's shared micro-batcher behind
 * Flink's async operator: the task thread only enqueues, the batcher's worker completes each post's
 * {@link ResultFuture} when its batch is done. Batches are cut by {@code batch.max-size}, {@code batch.max-tokens}
 * (padded) and {@code batch.max-wait}, never mix versions, and fill from every classify subtask of the TaskManager.
 *
 * <p>Async functions cannot read broadcast state, so the router stamps and this function resolves the stamp in the
 * TaskManager's {@code ModelRegistry}: normally the router's background load already made the version resident. Each
 * request holds its own lease until its batch is done (so a version is released only after its last in-flight batch),
 * and this subtask holds a lease on the version of the last stamp it saw (so a swap cannot release the old version
 * while posts stamped with it are still on their way from the router). A stamp whose version is not resident (posts
 * restored from a checkpoint after a swap) is loaded on demand; a version that cannot be loaded makes the post a dead
 * letter with the reason: never a silent loss.
 *
 * <p>Rollouts: a canary-stamped post leases its (candidate) version per request, so the serving version's lease on the
 * last stamp stays put. A shadowed post goes to the batcher twice, once per version (never in one batch: batches
 * never mix versions), and is answered when both labels are in ({@link ShadowJoin}); the shadow's label rides beside
 * the event, never in it. A shadow that is not resident or fails costs the post nothing but its comparison
 * (metrics {@code shadowLabels}, {@code shadowSkipped}, {@code shadowFailures}).
 *
 * <p>Output is a {@link ClassifiedPost}: the event or a dead letter, plus the shadow's label. Async functions cannot
 * use side outputs; {@link SplitClassified} routes them.
 */
public final class ClassifyAsyncFunction extends RichAsyncFunction<PostToClassify, ClassifiedPost> {

    private static final long serialVersionUID = 3L;

    private final ModelSource models;
    private final ClassifySettings config;
    private final ClassifierRequirements requirements;

    private transient DeviceBatcher.Handle batcherHandle;
    private transient MicroBatcher batcher;
    private transient BatchMetrics metrics;
    private transient ModelLease lastStamp;
    private transient volatile String lastStampId;
    private transient Counter loadedOnDemand;
    private transient Counter shadowLabels;
    private transient Counter shadowSkipped;
    private transient Counter shadowFailures;

    public ClassifyAsyncFunction(ModelSource models, ClassifySettings config) {
        this.models = models;
        this.config = config;
        this.requirements = ClassifierRequirements.emotions(config.batchMaxTokens());
    }

    public static TypeInformation<ClassifiedPost> producedType() {
        return ClassifiedPost.type();
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        // Each subtask's async operator bounds its posts in flight; all subtasks of a TaskManager may share the
        // batcher, so its queue holds them all and submit() never blocks the task thread.
        int subtasks = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        BatchLimits limits = new BatchLimits(config.batchMaxSize(), config.batchMaxTokens(), config.batchMaxWait(),
                config.asyncCapacity() * subtasks, config.batchOverheadTokens());
        batcherHandle = models.batcher().acquire(limits);
        batcher = batcherHandle.batcher();
        metrics = new BatchMetrics(getRuntimeContext().getMetricGroup(), batcher::queueDepth, batcher::inFlight,
                () -> lastStampId == null ? "" : lastStampId);
        batcher.addListener(metrics);
        loadedOnDemand = getRuntimeContext().getMetricGroup().counter("modelsLoadedOnDemand");
        shadowLabels = getRuntimeContext().getMetricGroup().counter("shadowLabels");
        shadowSkipped = getRuntimeContext().getMetricGroup().counter("shadowSkipped");
        shadowFailures = getRuntimeContext().getMetricGroup().counter("shadowFailures");
    }

    @Override
    public void asyncInvoke(PostToClassify post, ResultFuture<ClassifiedPost> answer) throws Exception {
        ResultFuture<ClassifiedPost> result = answer;
        if (post.shadowed()) {
            ShadowJoin join = new ShadowJoin(answer);
            labelShadow(post, join);
            result = join;
        }
        ModelKey key;
        try {
            key = new ModelKey(post.modelName, post.modelVersion);
        } catch (IllegalArgumentException e) {
            result.complete(List.of(ClassifiedPost.failed(ClassifyFailures.noValidStamp(post, e))));
            return;
        }
        if (post.emptyText) {
            result.complete(List.of(ClassifiedPost.labelled(EmotionEvents.emptyText(post, key.name(), key.version()))));
            return;
        }
        // A canary's stamps interleave with the serving version's: leased per request, the last-stamp lease stays put.
        ModelLease request = post.canary ? models.registry().acquireIfLoaded(key) : share(leaseOnStamp(key));
        if (request != null) {
            submit(post, key, request, result);
            return;
        }
        // Not resident in this TaskManager: load it without blocking the task thread.
        loadedOnDemand.inc();
        ResultFuture<ClassifiedPost> onDemand = result;
        models.registry().prepare(models.restoreTarget(key), requirements).whenComplete((lease, error) -> {
            if (error != null) {
                onDemand.complete(List.of(ClassifiedPost.failed(ClassifyFailures.cannotLoad(post, key, error))));
            } else {
                submit(post, key, lease, onDemand);
            }
        });
    }

    private static ModelLease share(ModelLease held) {
        return held == null ? null : held.share();
    }

    /**
     * Queues the post's shadow request (its own tokens, the shadow version's predictor) and hands the label to
     * {@code join}; null when the shadow cannot label it. Never loads a version: a shadow that is not resident here
     * (a post restored after its shadow stopped) is skipped.
     */
    private void labelShadow(PostToClassify post, ShadowJoin join) {
        ModelKey key;
        try {
            key = new ModelKey(post.shadowModelName, post.shadowModelVersion);
        } catch (IllegalArgumentException e) {
            shadowSkipped.inc();
            join.shadow(null);
            return;
        }
        if (post.shadowEmptyText) {
            shadowLabels.inc();
            join.shadow(ShadowLabel.emptyText(key));
            return;
        }
        ModelLease lease = models.registry().acquireIfLoaded(key);
        if (lease == null) {
            shadowSkipped.inc();
            join.shadow(null);
            return;
        }
        CompletableFuture<Prediction> prediction;
        try {
            prediction = batcher.submit(key, lease.predictor(), new Encoding(post.shadowTokenIds));
        } catch (IllegalStateException | InterruptedException stopped) {
            lease.close();
            if (stopped instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            join.shadow(null); // the post's own request fails the same way and decides what happens to it
            return;
        }
        prediction.whenComplete((labelled, error) -> {
            lease.close();
            if (error != null) {
                shadowFailures.inc();
                join.shadow(null);
            } else {
                shadowLabels.inc();
                join.shadow(ShadowLabel.of(key, labelled));
            }
        });
    }

    /** The lease on the version of the last stamp seen, moved to {@code key} if it changed; null if not resident. */
    private ModelLease leaseOnStamp(ModelKey key) {
        if (lastStamp != null && lastStamp.key().equals(key)) {
            return lastStamp;
        }
        ModelLease next = models.registry().acquireIfLoaded(key);
        if (next == null) {
            return null;
        }
        if (lastStamp != null) {
            lastStamp.close(); // the router switched: nothing stamped with the old version follows on this channel
        }
        lastStamp = next;
        lastStampId = key.id();
        return next;
    }

    /** Queues the post with its own lease on the version; the lease is closed once its batch is done. */
    private void submit(PostToClassify post, ModelKey key, ModelLease request, ResultFuture<ClassifiedPost> result) {
        CompletableFuture<Prediction> prediction;
        try {
            prediction = batcher.submit(key, request.predictor(), new Encoding(post.tokenIds));
        } catch (IllegalStateException | InterruptedException stopped) {
            request.close();
            if (stopped instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // The subtask is shutting down: not the post's fault. Failing lets Flink replay it from the checkpoint.
            result.completeExceptionally(stopped);
            return;
        }
        prediction.whenComplete((labelled, error) -> {
            request.close();
            ClassifiedPost out;
            if (error != null) {
                out = ClassifiedPost.failed(ClassifyFailures.modelFailed(post, key, error));
            } else {
                try {
                    out = ClassifiedPost.labelled(EmotionEvents.labelled(post, labelled, key.name(), key.version()));
                } catch (RuntimeException e) { // a callback exception would be swallowed and surface as a timeout
                    out = ClassifiedPost.failed(DeadLetters.failed(post.received, FailureStage.CLASSIFY,
                            "building the event failed: " + DeadLetters.describe(e)));
                }
            }
            result.complete(List.of(out));
        });
    }

    @Override
    public void timeout(PostToClassify post, ResultFuture<ClassifiedPost> result) {
        result.complete(List.of(ClassifiedPost.failed(DeadLetters.failed(post.received, FailureStage.CLASSIFY,
                "not labelled within the async timeout of " + config.asyncTimeout().toMillis() + " ms (model "
                        + post.modelName + "/" + post.modelVersion + (post.shadowed() ? ", shadow " + post.shadowModelName
                        + "/" + post.shadowModelVersion : "") + ", batches of at most "
                        + config.batchMaxSize() + " posts / " + config.batchMaxTokens() + " tokens)"))));
    }

    @Override
    public void close() throws Exception {
        if (batcher != null) {
            batcher.removeListener(metrics);
            batcher = null;
        }
        if (batcherHandle != null) {
            batcherHandle.close(); // the last subtask of the TaskManager drains and stops the shared batcher
            batcherHandle = null;
        }
        if (lastStamp != null) {
            lastStamp.close();
            lastStamp = null;
        }
    }
}
