package com.emotionmonitor.job.ops;

import com.emotionmonitor.job.io.DeadLetters;
import com.emotionmonitor.job.model.ModelLease;
import com.emotionmonitor.job.model.ModelSource;
import com.emotionmonitor.schema.DeadLetter;
import com.emotionmonitor.schema.EmotionEvent;
import com.emotionmonitor.schema.FailureStage;
import com.emotionmonitor.text.Encoding;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.apache.flink.types.Either;

/**
 * Labels posts through a {@link MicroBatcher} (one inference worker per subtask) behind Flink's async operator:
 * the task thread only enqueues, the worker completes each post's {@link ResultFuture} when its batch is done.
 * Output is {@code Right(EmotionEvent)} or {@code Left(DeadLetter)} (model error, timeout, or a version stamp this
 * subtask has not loaded): async functions cannot use side outputs, {@link SplitDeadLetters} routes the lefts.
 */
public final class ClassifyAsyncFunction extends RichAsyncFunction<PostToClassify, Either<DeadLetter, EmotionEvent>> {

    private static final long serialVersionUID = 1L;

    private final ModelSource modelSource;
    private final BatchSettings batchSettings;
    private final Duration timeout;

    private transient ModelLease lease;
    private transient MicroBatcher batcher;

    /** @param timeout the async operator's timeout, quoted in the dead letter of a post that hits it */
    public ClassifyAsyncFunction(ModelSource modelSource, BatchSettings batchSettings, Duration timeout) {
        this.modelSource = modelSource;
        this.batchSettings = batchSettings;
        this.timeout = timeout;
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
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        batcher = new MicroBatcher(lease.predictor(), batchSettings, "micro-batcher-" + subtask);
        MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup("microBatcher");
        metrics.gauge("batches", (Gauge<Long>) () -> batcher.stats().batches());
        metrics.gauge("posts", (Gauge<Long>) () -> batcher.stats().posts());
        metrics.gauge("paddingEfficiency", (Gauge<Double>) () -> {
            MicroBatcher.Stats s = batcher.stats();
            return s.paddedTokens() == 0 ? 1.0 : (double) s.realTokens() / s.paddedTokens();
        });
    }

    @Override
    public void asyncInvoke(PostToClassify post, ResultFuture<Either<DeadLetter, EmotionEvent>> result) {
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
        batcher.submit(new Encoding(post.tokenIds)).whenComplete((prediction, error) -> {
            if (error instanceof CancellationException) {
                // The subtask is shutting down: not the post's fault. Failing the future lets Flink replay the post
                // from its checkpointed in-flight state instead of dead-lettering it.
                result.completeExceptionally(error);
                return;
            }
            Either<DeadLetter, EmotionEvent> out = error == null
                    ? Either.Right(EmotionEvents.labelled(post, prediction, name, version))
                    : Either.Left(DeadLetters.failed(post.received, FailureStage.CLASSIFY,
                            "model " + name + "/" + version + " failed: " + DeadLetters.describe(error)));
            result.complete(List.of(out));
        });
    }

    @Override
    public void timeout(PostToClassify post, ResultFuture<Either<DeadLetter, EmotionEvent>> result) {
        result.complete(List.of(Either.Left(DeadLetters.failed(post.received, FailureStage.CLASSIFY,
                "not labelled within the async timeout of " + timeout.toMillis() + " ms (model " + modelSource.modelName()
                        + "/" + modelSource.modelVersion() + ", " + batchSettings + ")"))));
    }

    @Override
    public void close() throws Exception {
        if (batcher != null) {
            batcher.close();
            batcher = null;
        }
        if (lease != null) {
            lease.close();
            lease = null;
        }
    }
}
