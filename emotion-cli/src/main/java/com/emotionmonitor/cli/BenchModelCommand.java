package com.emotionmonitor.cli;

import com.emotionmonitor.bench.ModelThroughputBench;
import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.text.Encoding;
import com.emotionmonitor.text.TextPipeline;
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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bin/emotion bench model}: the inference ceiling on this machine (no Flink, no Kafka), per-record
 * against length-bucketed batches at several token budgets, one intra-op thread.
 */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Tight-loop inference: per-record vs batched (token budgets); posts/s, tokens/s, padding efficiency, latency.")
public final class BenchModelCommand implements Callable<Integer> {

    @Mixin ModelOption modelOption;

    @Option(names = "--data", description = "JSONL posts (default ../shared/data/smp2020-ewect/usual_eval.jsonl).") Path data;
    @Option(names = "--budgets", split = ",", defaultValue = "1024,2048,4096,8192", description = "Padded-token budgets to try.")
    List<Integer> budgets;
    @Option(names = "--max-batch", defaultValue = "128") int maxBatch;
    @Mixin BenchArchitecture arch;
    @Option(names = "--per-record-posts", defaultValue = "500", description = "Posts for the batch-1 row (it is slow).")
    int perRecordPosts;

    @Override
    public Integer call() throws Exception {
        Path file = ProjectPaths.requireFile(data != null ? data : ProjectPaths.sharedData().resolve("smp2020-ewect/usual_eval.jsonl"), "--data");
        List<String> texts = LabeledSet.readTexts(file);
        try (EmotionModel model = open(texts)) {
            TextPipeline pipeline = model.textPipeline();
            List<Encoding> encodings = new ArrayList<>();
            for (String t : texts) {
                encodings.add(pipeline.prepare(t).encoding());
            }
            ModelThroughputBench bench = new ModelThroughputBench(model, encodings);
            List<ModelThroughputBench.Row> rows = new ArrayList<>();
            rows.add(bench.perRecord(perRecordPosts));
            rows.add(bench.unsorted(32));
            for (int b : budgets) {
                rows.add(bench.batched(b, maxBatch));
            }
            System.out.printf(Locale.ROOT, "model %s/%s (%s) on %s, %d posts, device %s, intra-op threads %s%n",
                    model.manifest().name(), model.manifest().version(), model.manifest().architecture().shortName(),
                    file.getFileName(), encodings.size(), model.device(), System.getProperty("ai.djl.pytorch.num_threads"));
            System.out.printf(Locale.ROOT, "%-36s %9s %10s %8s %7s %9s %9s %11s%n", "configuration", "posts/s", "tokens/s", "pad-eff",
                    "batch", "p50 ms", "p99 ms", "posts/cpu-s");
            ModelThroughputBench.Row best = rows.get(0);
            for (ModelThroughputBench.Row r : rows) {
                System.out.printf(Locale.ROOT, "%-36s %9.1f %10.0f %8.3f %7.1f %9.1f %9.1f %11.1f%n", r.name(), r.postsPerSecond(),
                        r.tokensPerSecond(), r.paddingEfficiency(), r.meanBatchSize(), r.p50BatchMillis(), r.p99BatchMillis(),
                        r.postsPerCpuSecond());
                if (r.postsPerSecond() > best.postsPerSecond()) {
                    best = r;
                }
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("model", model.manifest().name() + "/" + model.manifest().version());
            json.put("architecture", model.manifest().architecture().shortName());
            json.put("per_record_posts_per_s", round(rows.get(0).postsPerSecond()));
            json.put("ceiling_posts_per_s", round(best.postsPerSecond()));
            json.put("ceiling_tokens_per_s", round(best.tokensPerSecond()));
            json.put("ceiling_configuration", best.name());
            json.put("ceiling_padding_efficiency", round(best.paddingEfficiency()));
            json.put("speedup_batched_vs_per_record", round(best.postsPerSecond() / rows.get(0).postsPerSecond()));
            // Per core of CPU time: what sizing needs, and what a busy shared machine still measures faithfully.
            ModelThroughputBench.Row perCpu = rows.stream()
                    .max(java.util.Comparator.comparingDouble(ModelThroughputBench.Row::postsPerCpuSecond)).orElseThrow();
            json.put("per_record_posts_per_cpu_s", round(rows.get(0).postsPerCpuSecond()));
            json.put("ceiling_posts_per_cpu_s", round(perCpu.postsPerCpuSecond()));
            json.put("ceiling_cpu_configuration", perCpu.name());
            json.put("cores_per_1000_posts_per_s", round(1000 / perCpu.postsPerCpuSecond()));
            System.out.println(new ObjectMapper().writeValueAsString(json));
        }
        return 0;
    }

    private EmotionModel open(List<String> texts) {
        if (!arch.isSet()) {
            return EmotionModel.load(modelOption.resolve(), modelOption.device());
        }
        BenchArchitecture.Spec spec = arch.resolve(texts);
        return EmotionModel.untrainedForBenchmark(spec.config(), spec.vocabulary(), spec.tokenizer(), modelOption.device());
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
