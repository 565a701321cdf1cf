package com.emotionmonitor.cli;

import com.emotionmonitor.bench.ModelThroughputBench;
import com.emotionmonitor.bench.PipelineBench;
import com.emotionmonitor.job.model.StoreModelSource;
import com.emotionmonitor.model.EmotionModel;
import com.emotionmonitor.text.Encoding;
import com.emotionmonitor.train.LabeledSet;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/emotion bench pipeline}: in ONE run, with the same model and the same posts, the tight-loop ceiling
 * (no Flink, no Kafka), the job with one forward pass per post (batch size 1, the per-record pattern), the job with
 * the micro-batcher at saturation, and its latency at 50% of that rate. Prints a table and, last, one JSON line.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = "Ceiling vs per-record vs micro-batched job (embedded Kafka + local Flink); posts/s, tokens/s, padding, p50/p99.")
public final class BenchPipelineCommand implements Callable<Integer> {

    @Option(names = "--model-store", description = "Model store root (default: model-store/).") Path store;
    @Option(names = "--model-name", defaultValue = "weibo-emotion") String modelName;
    @Option(names = "--model-version", description = "Default: the newest.") String modelVersion;
    @Option(names = "--data", description = "Posts (default ../shared/data/smp2020-ewect/usual_eval.jsonl).") Path data;
    @Option(names = "--posts", defaultValue = "3000", description = "Posts for the saturation runs.") int posts;
    @Option(names = "--per-record-posts", defaultValue = "1500") int perRecordPosts;
    @Option(names = "--latency-seconds", defaultValue = "30") int latencySeconds;
    @Option(names = "--batch-size", defaultValue = "64") int batchSize;
    @Option(names = "--batch-max-tokens", defaultValue = "2048") int batchMaxTokens;
    @Option(names = {"-p", "--parallelism"}, defaultValue = "1") int parallelism;

    @Override
    public Integer call() throws Exception {
        Path file = ProjectPaths.requireFile(data != null ? data : ProjectPaths.sharedData().resolve("smp2020-ewect/usual_eval.jsonl"), "--data");
        List<String> texts = LabeledSet.readTexts(file);
        StoreModelSource model = StoreModelSource.resolve(store != null ? store : ProjectPaths.modelStore(), modelName, modelVersion);

        ModelThroughputBench.Row ceiling;
        long tokensPerPost;
        try (EmotionModel m = EmotionModel.load(model.versionDir(), "auto")) {
            List<Encoding> enc = new ArrayList<>();
            long tokens = 0;
            for (String t : texts) {
                Encoding e = m.textPipeline().prepare(t).encoding();
                enc.add(e);
                tokens += e.length();
            }
            tokensPerPost = Math.round((double) tokens / texts.size());
            ModelThroughputBench tight = new ModelThroughputBench(m, enc);
            ceiling = tight.batched(batchMaxTokens, batchSize);
            ModelThroughputBench.Row other = tight.batched(batchMaxTokens * 2, batchSize * 2);
            if (other.postsPerSecond() > ceiling.postsPerSecond()) {
                ceiling = other;
            }
        }
        PipelineBench bench = new PipelineBench(model, PipelineBench.asSample(texts), parallelism, System.err::println);
        PipelineBench.Run perRecord = bench.run("per_record", perRecordPosts, 1, batchMaxTokens, 0);
        PipelineBench.Run pipeline = bench.run("pipeline", posts, batchSize, batchMaxTokens, 0);
        double half = pipeline.postsPerSecond() / 2;
        PipelineBench.Run latency = bench.run("pipeline_at_50pct", (int) Math.max(100, half * latencySeconds), batchSize,
                batchMaxTokens, half);

        System.out.printf(Locale.ROOT, "model %s/%s, %s, parallelism %d, %d-token budget / %d posts per batch%n",
                model.modelName(), model.modelVersion(), file.getFileName(), parallelism, batchMaxTokens, batchSize);
        System.out.printf(Locale.ROOT, "%-22s %9s %10s %8s %8s %9s %9s%n", "run", "posts/s", "tokens/s", "pad-eff", "batch", "p50 ms", "p99 ms");
        System.out.printf(Locale.ROOT, "%-22s %9.1f %10.0f %8.3f %8.1f %9s %9s%n", "ceiling (tight loop)", ceiling.postsPerSecond(),
                ceiling.tokensPerSecond(), ceiling.paddingEfficiency(), ceiling.meanBatchSize(), "-", "-");
        for (PipelineBench.Run r : List.of(perRecord, pipeline, latency)) {
            System.out.printf(Locale.ROOT, "%-22s %9.1f %10.0f %8.3f %8.1f %9.0f %9.0f%n", r.name(), r.postsPerSecond(),
                    r.postsPerSecond() * tokensPerPost, r.batcher() == null ? Double.NaN : r.batcher().paddingEfficiency(),
                    r.batcher() == null ? Double.NaN : r.batcher().meanBatchSize(), r.p50Millis(), r.p99Millis());
        }
        System.out.println("per_record = the job with batch size 1 (one forward pass per post through one inference worker,"
                + " the cost of one predict per record in a map); latency = created_at (producer send) -> processed_at.");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", model.modelName() + "/" + model.modelVersion());
        json.put("ceiling_posts_per_s", round(ceiling.postsPerSecond()));
        json.put("per_record_posts_per_s", round(perRecord.postsPerSecond()));
        json.put("pipeline_posts_per_s", round(pipeline.postsPerSecond()));
        json.put("pipeline_tokens_per_s", round(pipeline.postsPerSecond() * tokensPerPost));
        json.put("speedup_vs_per_record", round(pipeline.postsPerSecond() / perRecord.postsPerSecond()));
        json.put("fraction_of_ceiling", round(pipeline.postsPerSecond() / ceiling.postsPerSecond()));
        json.put("padding_efficiency", pipeline.batcher() == null ? null : round(pipeline.batcher().paddingEfficiency()));
        json.put("mean_batch_size", pipeline.batcher() == null ? null : round(pipeline.batcher().meanBatchSize()));
        json.put("p50_ms", latency.p50Millis());
        json.put("p99_ms", latency.p99Millis());
        json.put("latency_rate_posts_per_s", round(half));
        System.out.println(new ObjectMapper().writeValueAsString(json));
        return 0;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
