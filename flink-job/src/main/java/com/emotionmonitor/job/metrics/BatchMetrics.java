package com.emotionmonitor.job.metrics;

import com.emotionmonitor.serving.BatchListener;
import com.emotionmonitor.store.ModelKey;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The micro-batcher's Flink metrics, under the operator's group {@code batcher}: histograms of batch
 * size, real and padded tokens, queue wait and inference time (ms); padding efficiency of the last
 * batches; counters of batches, batched posts and failed batches; gauges of queue depth, in-flight
 * requests and the active model version. Exposed by any Flink reporter (Prometheus in deploy/).
 */
public final class BatchMetrics implements BatchListener {

    private static final int WINDOW = 500;

    private final Histogram batchSize = new DescriptiveStatisticsHistogram(WINDOW);
    private final Histogram realTokens = new DescriptiveStatisticsHistogram(WINDOW);
    private final Histogram paddedTokens = new DescriptiveStatisticsHistogram(WINDOW);
    private final Histogram queueWaitMillis = new DescriptiveStatisticsHistogram(WINDOW);
    private final Histogram inferenceMillis = new DescriptiveStatisticsHistogram(WINDOW);
    private final Counter batches;
    private final Counter posts;
    private final Counter failedBatches;
    private volatile long realSum;
    private volatile long paddedSum;

    /**
     * @param queueDepth requests waiting for a batch
     * @param inFlight requests submitted and not yet completed
     * @param activeVersion the model version records are being stamped with
     */
    public BatchMetrics(MetricGroup operatorGroup, LongSupplier queueDepth, LongSupplier inFlight, Supplier<String> activeVersion) {
        MetricGroup g = operatorGroup.addGroup("batcher");
        g.histogram("batchSize", batchSize);
        g.histogram("realTokens", realTokens);
        g.histogram("paddedTokens", paddedTokens);
        g.histogram("queueWaitMs", queueWaitMillis);
        g.histogram("inferenceMs", inferenceMillis);
        batches = g.counter("batches");
        posts = g.counter("posts");
        failedBatches = g.counter("failedBatches");
        g.gauge("paddingEfficiency", (Gauge<Double>) this::paddingEfficiency);
        g.gauge("queueDepth", (Gauge<Long>) queueDepth::getAsLong);
        g.gauge("inFlight", (Gauge<Long>) inFlight::getAsLong);
        g.gauge("activeModelVersion", (Gauge<String>) activeVersion::get);
    }

    @Override
    public void onBatch(ModelKey model, int size, long real, long padded, long maxQueueWaitNanos, long inferenceNanos, String cutReason) {
        batchSize.update(size);
        realTokens.update(real);
        paddedTokens.update(padded);
        queueWaitMillis.update(maxQueueWaitNanos / 1_000_000);
        inferenceMillis.update(inferenceNanos / 1_000_000);
        batches.inc();
        posts.inc(size);
        synchronized (this) {
            realSum += real;
            paddedSum += padded;
        }
    }

    @Override
    public void onBatchFailed(ModelKey model, int size, Throwable error) {
        failedBatches.inc();
    }

    /** Real tokens / computed (padded) tokens since the operator started. */
    public synchronized double paddingEfficiency() {
        return paddedSum == 0 ? 1.0 : (double) realSum / paddedSum;
    }
}
