package com.emotionmonitor.job.ops;

import com.emotionmonitor.job.JobConfig;
import com.emotionmonitor.job.io.DeadLetters;
import com.emotionmonitor.job.model.ModelLease;
import com.emotionmonitor.job.model.ModelSource;
import com.emotionmonitor.schema.DeadLetter;
import com.emotionmonitor.schema.EmotionEvent;
import com.emotionmonitor.schema.FailureStage;
import com.emotionmonitor.serving.BatchLimits;
import com.emotionmonitor.serving.BatchListener;
import com.emotionmonitor.serving.MicroBatcher;
import com.emotionmonitor.serving.Ticker;
import com.emotionmonitor.text.Encoding;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.apache.flink.types.Either;

/**
 * Labels posts through the serving {@link MicroBatcher} (one inference worker per subtask) behind Flink's async
 * operator: the task thread only enqueues, the worker completes each post's {@link ResultFuture} when its batch is
 * done. Batches are cut by {@code batch.max-size}, {@code batch.max-tokens} (padded) and {@code batch.max-wait}.
 * Output is {@code Right(EmotionEvent)} or {@code Left(DeadLetter)} (model error, timeout, or a version stamp this
 * subtask has not loaded): async functions cannot use side outputs, {@link SplitDeadLetters} routes the lefts.
 */
public final class ClassifyAsyncFunction extends RichAsyncFunction<PostToClassify, Either<DeadLetter, EmotionEvent>> {

    private static final long serialVersionUID = 1L;

    private final ModelSource modelSource;
    private final JobConfig config;

    private transient ModelLease lease;
    private transient MicroBatcher batcher;

    public ClassifyAsyncFunction(ModelSource modelSource, JobConfig config) {
        this.modelSource = modelSource;
        this.config = config;
    }

    public static TypeInformation<Either<DeadLetter, EmotionEvent>> producedType() {
        return new EitherTypeInfo<>(new AvroTypeInfo<>(DeadLetter.class), new AvroTypeInfo<>(EmotionEvent.class));
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        lease = modelSource.acquire();
        if (!lease.modelVersion().equals(modelSource.modelVersion())) {
            String loaded = lease.modelVersion();
            lease.close();
            throw new IllegalStateException("model source " + modelSource + " loaded version " + loaded
                    + " (per its manifest), not " + modelSource.modelVersion());
        }
        // The async operator already bounds the posts in flight to its capacity: the batcher's queue never blocks.
        BatchLimits limits = new BatchLimits(config.batchMaxSize(), config.batchMaxTokens(), config.batchMaxWait(),
                config.asyncCapacity());
        String served = lease.modelVersion();
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        batcher = new MicroBatcher(limits, version -> served.equals(version) ? lease.predictor() : null, Ticker.SYSTEM,
                metrics(getRuntimeContext().getMetricGroup().addGroup("microBatcher")), "micro-batcher-" + subtask);
    }

    /** batches, posts, paddingEfficiency (real / computed tokens) and failedBatches of this subtask's batcher. */
    private static BatchListener metrics(MetricGroup group) {
        Counter batches = group.counter("batches");
        Counter posts = group.counter("posts");
        Counter failed = group.counter("failedBatches");
        AtomicLong real = new AtomicLong();
        AtomicLong padded = new AtomicLong();
        group.gauge("paddingEfficiency", (Gauge<Double>) () -> padded.get() == 0 ? 1.0 : (double) real.get() / padded.get());
        return new BatchListener() {
            @Override
            public void onBatch(String modelKey, int size, long realTokens, long paddedTokens, long maxQueueWaitNanos,
                                long inferenceNanos, String cutReason) {
                batches.inc();
                posts.inc(size);
                real.addAndGet(realTokens);
                padded.addAndGet(paddedTokens);
            }

            @Override
            public void onBatchFailed(String modelKey, int size, Throwable error) {
                failed.inc();
            }
        };
    }

    @Override
    public void asyncInvoke(PostToClassify post, ResultFuture<Either<DeadLetter, EmotionEvent>> result) throws Exception {
        String name = lease.modelName();
        String version = lease.modelVersion();
        if (!version.equals(post.modelVersion)) {
            result.complete(List.of(Either.Left(DeadLetters.failed(post.received, FailureStage.CLASSIFY,
                    "post is stamped for model version " + post.modelVersion + " but this subtask serves " + name + "/" + version))));
            return;
        }
        if (post.emptyText) {
            result.complete(List.of(Either.Right(EmotionEvents.emptyText(post, name, version))));
            return;
        }
        CompletableFuture<com.emotionmonitor.model.Prediction> prediction;
        try {
            prediction = batcher.submit(post.modelVersion, new Encoding(post.tokenIds));
        } catch (IllegalStateException closed) {
            // The subtask is shutting down: not the post's fault. Failing lets Flink replay it from the checkpoint.
            result.completeExceptionally(closed);
            return;
        }
        prediction.whenComplete((labelled, error) -> {
            Either<DeadLetter, EmotionEvent> out;
            if (error != null) {
                out = Either.Left(DeadLetters.failed(post.received, FailureStage.CLASSIFY,
                        "model " + name + "/" + version + " failed: " + DeadLetters.describe(error)));
            } else {
                try {
                    out = Either.Right(EmotionEvents.labelled(post, labelled, name, version));
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
                        + modelSource.modelName() + "/" + modelSource.modelVersion() + ", batches of at most "
                        + config.batchMaxSize() + " posts / " + config.batchMaxTokens() + " tokens)"))));
    }

    @Override
    public void close() throws Exception {
        if (batcher != null) {
            batcher.close(); // labels what is queued, then stops its worker
            batcher = null;
        }
        if (lease != null) {
            lease.close();
            lease = null;
        }
    }
}
