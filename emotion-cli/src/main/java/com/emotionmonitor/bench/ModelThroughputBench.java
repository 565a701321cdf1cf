package com.emotionmonitor.bench;

import com.emotionmonitor.model.BatchPredictor;
import com.emotionmonitor.serving.TokenBudgetBatches;
import com.emotionmonitor.text.Encoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.IntUnaryOperator;

/**
 * The tight-loop ceiling of model inference on this machine: the same encodings classified one per
 * call (the per-record pattern) and in length-bucketed batches under several padded-token budgets.
 * Reports posts/s, real tokens/s, padding efficiency (real / computed tokens) and per-batch latency.
 */
public final class ModelThroughputBench {

    private final BatchPredictor predictor;
    private final List<Encoding> encodings;

    public ModelThroughputBench(BatchPredictor predictor, List<Encoding> encodings) {
        this.predictor = predictor;
        this.encodings = encodings;
    }

    /**
     * One configuration's figures.
     *
     * @param postsPerCpuSecond posts per second of the calling thread's CPU time: with one intra-op thread libtorch
     *     computes on the calling thread, so this is what one core sustains even on a machine shared with other work
     *     (wall-clock posts/s then understate it)
     */
    public record Row(String name, int batches, double postsPerSecond, double tokensPerSecond, double paddingEfficiency,
            double meanBatchSize, double p50BatchMillis, double p99BatchMillis, double postsPerCpuSecond) {}

    /** Batch size 1: one forward pass per post. */
    public Row perRecord(int posts) {
        List<Encoding> sample = encodings.subList(0, Math.min(posts, encodings.size()));
        List<List<Encoding>> batches = new ArrayList<>();
        sample.forEach(e -> batches.add(List.of(e)));
        return run("per-record (batch 1)", batches);
    }

    /** Length-sorted batches cut at {@code maxTokens} padded tokens or {@code maxBatch} posts, shuffled. */
    public Row batched(int maxTokens, int maxBatch) {
        IntUnaryOperator length = i -> encodings.get(i).length();
        int[] sorted = TokenBudgetBatches.sortedByLength(encodings.size(), length);
        List<List<Encoding>> batches = new ArrayList<>();
        for (int[] batch : TokenBudgetBatches.cut(sorted, length, maxTokens, maxBatch)) {
            batches.add(Arrays.stream(batch).mapToObj(encodings::get).toList());
        }
        Collections.shuffle(batches, new Random(1));
        return run("batched, " + maxTokens + " tokens / " + maxBatch + " posts", batches);
    }

    /** Arrival-order batches of a fixed size, no length sorting: what batching without bucketing costs. */
    public Row unsorted(int batchSize) {
        List<List<Encoding>> batches = new ArrayList<>();
        for (int i = 0; i < encodings.size(); i += batchSize) {
            batches.add(encodings.subList(i, Math.min(encodings.size(), i + batchSize)));
        }
        return run("batched " + batchSize + ", arrival order", batches);
    }

    private Row run(String name, List<List<Encoding>> batches) {
        // Warm-up: the first passes pay for JIT and allocator growth.
        for (int i = 0; i < Math.min(5, batches.size()); i++) {
            predictor.predict(batches.get(i));
        }
        long real = 0;
        long computed = 0;
        long posts = 0;
        double[] millis = new double[batches.size()];
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (int i = 0; i < batches.size(); i++) {
            List<Encoding> b = batches.get(i);
            long t0 = System.nanoTime();
            predictor.predict(b);
            millis[i] = (System.nanoTime() - t0) / 1e6;
            int longest = 0;
            for (Encoding e : b) {
                real += e.length();
                longest = Math.max(longest, e.length());
            }
            computed += (long) longest * b.size();
            posts += b.size();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        double cpuSecs = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        Arrays.sort(millis);
        return new Row(name, batches.size(), posts / secs, real / secs, (double) real / computed, (double) posts / batches.size(),
                percentile(millis, 0.50), percentile(millis, 0.99), cpuSecs > 0 ? posts / cpuSecs : Double.NaN);
    }

    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int idx = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }
}
