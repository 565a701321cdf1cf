package com.emotionmonitor.job.ops;

import com.emotionmonitor.job.io.DeadLetters;
import com.emotionmonitor.job.metrics.BatchMetrics;
import com.emotionmonitor.job.model.DeviceBatcher;
import com.emotionmonitor.store.ModelKey;
import com.emotionmonitor.job.model.ModelLease;
import com.emotionmonitor.store.ClassifierRequirements;
import com.emotionmonitor.job.model.ModelSource;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.schema.DeadLetter;
import com.emotionmonitor.schema.EmotionEvent;
import com.emotionmonitor.schema.FailureStage;
import com.emotionmonitor.serving.BatchLimits;
import com.emotionmonitor.serving.MicroBatcher;
import com.emotionmonitor.text.Encoding;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.apache.flink.types.Either;

/**
 * Labels each post with the model version it is stamped with, through the TaskManager's shared micro-batcher behind
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
 * <p>Output is {@code Right(EmotionEvent)} or {@code Left(DeadLetter)}: async functions cannot use side outputs,
 * {@link SplitDeadLetters} routes the lefts.
 */
public final class ClassifyAsyncFunction extends RichAsyncFunction<PostToClassify, Either<DeadLetter, EmotionEvent>> {

    private static final long serialVersionUID = 2L;

    private final ModelSource models;
    private final ClassifySettings config;
    private final ClassifierRequirements requirements;

    private transient DeviceBatcher.Handle batcherHandle;
    private transient MicroBatcher batcher;
    private transient BatchMetrics metrics;
    private transient ModelLease lastStamp;
    private transient volatile String lastStampId;
    private transient Counter loadedOnDemand;

    public ClassifyAsyncFunction(ModelSource models, ClassifySettings config) {
        this.models = models;
        this.config = config;
        this.requirements = ClassifierRequirements.emotions(config.batchMaxTokens());
    }

    public static TypeInformation<Either<DeadLetter, EmotionEvent>> producedType() {
        return new EitherTypeInfo<>(new AvroTypeInfo<>(DeadLetter.class), new AvroTypeInfo<>(EmotionEvent.class));
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
    }

    @Override
    public void asyncInvoke(PostToClassify post, ResultFuture<Either<DeadLetter, EmotionEvent>> result) throws Exception {
        ModelKey key;
        try {
            key = new ModelKey(post.modelName, post.modelVersion);
        } catch (IllegalArgumentException e) {
            result.complete(List.of(Either.Left(ClassifyFailures.noValidStamp(post, e))));
            return;
        }
        if (post.emptyText) {
            result.complete(List.of(Either.Right(EmotionEvents.emptyText(post, key.name(), key.version()))));
            return;
        }
        ModelLease stamp = leaseOnStamp(key);
        if (stamp != null) {
            submit(post, key, stamp.share(), result);
            return;
        }
        // Not resident in this TaskManager: load it without blocking the task thread.
        loadedOnDemand.inc();
        models.registry().prepare(models.restoreTarget(key), requirements).whenComplete((lease, error) -> {
            if (error != null) {
                result.complete(List.of(Either.Left(ClassifyFailures.cannotLoad(post, key, error))));
            } else {
                submit(post, key, lease, result);
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
    private void submit(PostToClassify post, ModelKey key, ModelLease request,
                        ResultFuture<Either<DeadLetter, EmotionEvent>> result) {
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
            Either<DeadLetter, EmotionEvent> out;
            if (error != null) {
                out = Either.Left(ClassifyFailures.modelFailed(post, key, error));
            } else {
                try {
                    out = Either.Right(EmotionEvents.labelled(post, labelled, key.name(), key.version()));
                } catch (RuntimeException e) { // a callback exception would be swallowed and surface as a timeout
                    out = Either.Left(DeadLetters.failed(post.received, FailureStage.CLASSIFY,
                            "building the event failed: " + DeadLetters.describe(e)));
                }
            }
            result.complete(List.of(out));
        });
    }

    @Override
    public void timeout(PostToClassify post, ResultFuture<Either<DeadLetter, EmotionEvent>> result) {
        result.complete(List.of(Either.Left(DeadLetters.failed(post.received, FailureStage.CLASSIFY,
                "not labelled within the async timeout of " + config.asyncTimeout().toMillis() + " ms (model "
                        + post.modelName + "/" + post.modelVersion + ", batches of at most "
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
