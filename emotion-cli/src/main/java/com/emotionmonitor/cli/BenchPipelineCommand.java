package com.emotionmonitor.cli;

import com.emotionmonitor.bench.ModelThroughputBench;
import com.emotionmonitor.bench.PipelineBench;
import com.emotionmonitor.bench.ShadowStore;
import com.emotionmonitor.bench.RandomVersion;
import com.emotionmonitor.job.JobConfig;
import com.emotionmonitor.job.model.StoreModelSource;
import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.text.Encoding;
import com.emotionmonitor.train.LabeledSet;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
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
 * {@code bin/emotion bench pipeline}: in ONE run, with the same model and the same posts, the tight-loop ceiling
 * (no Flink, no Kafka), the job with one forward pass per post (batch size 1, the per-record pattern), the job with
 * the micro-batcher at saturation, its latency at 50% of that rate, and the micro-batched job at saturation with a
 * shadow on 10% and on 100% of the posts (the cost of {@code model shadow}). Prints a table and, last, one JSON line.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = "Ceiling vs per-record vs micro-batched job (embedded Kafka + local Flink), and the job with a shadow on"
                + " 10%% / 100%% of the posts; posts/s, tokens/s, padding, p50/p99.")
public final class BenchPipelineCommand implements Callable<Integer> {

    @Option(names = "--model-store", description = "Model store root (default: model-store/).") Path store;
    @Option(names = "--model-name", defaultValue = "weibo-emotion") String modelName;
    @Option(names = "--model-version", description = "Default: the newest.") String modelVersion;
    @Option(names = "--data", description = "Posts (default ../shared/data/smp2020-ewect/usual_eval.jsonl).") Path data;
    @Option(names = "--posts", defaultValue = "3000", description = "Posts for the saturation runs.") int posts;
    @Option(names = "--per-record-posts", defaultValue = "1500") int perRecordPosts;
    @Option(names = "--latency-seconds", defaultValue = "30") int latencySeconds;
    // Defaults are the job's own (JobConfig), so the bench measures what the job runs with.
    @Option(names = "--batch-size", description = "batch.max-size (default: the job's).") Integer batchSize;
    @Option(names = "--batch-max-tokens", description = "batch.max-tokens (default: the job's).") Integer batchMaxTokens;
    @Option(names = "--batch-max-wait", description = "batch.max-wait, e.g. 5ms (default: the job's).") String batchMaxWait;
    @Option(names = "--overhead-tokens", description = "batch.overhead-tokens (default: the job's).") Integer overheadTokens;
    @Option(names = "--async-capacity", description = "async.capacity (default: the job's).") Integer asyncCapacity;
    @Option(names = {"-p", "--parallelism"}, defaultValue = "1") int parallelism;
    @Option(names = "--shadow-fractions", defaultValue = "0.1,1", split = ",",
            description = "Shadow shares to measure at saturation (default ${DEFAULT-VALUE}; 0 = no shadow runs).")
    List<Double> shadowFractions;
    @Option(names = "--shadow-version", description = "The shadow candidate, a published version of the model (default:"
            + " the serving version's own files republished as <version>-shadow in a scratch store: a same-size candidate).")
    String shadowVersion;
    @Option(names = "--repeats", defaultValue = "1", description = "Rounds of ceiling, per-record and micro-batched job,"
            + " interleaved (default ${DEFAULT-VALUE}); with N > 1 the JSON gives each ratio's median, min and max over the rounds.")
    int repeats;
    @Mixin BenchArchitecture arch;

    @Override
    public Integer call() throws Exception {
        if (repeats < 1) {
            System.err.println("bench pipeline: --repeats must be at least 1, was " + repeats);
            return 2;
        }
        Path file = ProjectPaths.requireFile(data != null ? data : ProjectPaths.sharedData().resolve("smp2020-ewect/usual_eval.jsonl"), "--data");
        List<String> texts = LabeledSet.readTexts(file);
        Path scratch = null;
        StoreModelSource model;
        if (arch.isSet()) {
            // A random version of that shape in a scratch store: the job loads versions from a store like any other.
            BenchArchitecture.Spec spec = arch.resolve(texts);
            scratch = Files.createTempDirectory("bench-arch-");
            Path dir = RandomVersion.publish(scratch, spec.config(), spec.vocabulary(), spec.tokenizer());
            model = StoreModelSource.resolve(scratch, RandomVersion.NAME, dir.getFileName().toString());
        } else {
            model = StoreModelSource.resolve(store != null ? store : ProjectPaths.modelStore(), modelName, modelVersion);
        }
        try {
            return run(model, texts, file);
        } finally {
            if (scratch != null) {
                org.apache.flink.util.FileUtils.deleteDirectoryQuietly(scratch.toFile());
            }
        }
    }

    private Integer run(StoreModelSource model, List<String> texts, Path file) throws Exception {

        Map<String, String> settings = new LinkedHashMap<>();
        putIfSet(settings, "batch.max-size", batchSize);
        putIfSet(settings, "batch.max-tokens", batchMaxTokens);
        putIfSet(settings, "batch.max-wait", batchMaxWait);
        putIfSet(settings, "batch.overhead-tokens", overheadTokens);
        putIfSet(settings, "async.capacity", asyncCapacity);
        JobConfig job = JobConfig.defaults().with(settings);

        ModelThroughputBench.Row batchOne;
        long tokensPerPost;
        List<Round> rounds = new ArrayList<>();
        PipelineBench bench = new PipelineBench(model, PipelineBench.asSample(texts), parallelism, settings, System.err::println);
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
            // The same tight loop at one post per pass: ceiling / this is what batching itself can gain here.
            batchOne = tight.perRecord(perRecordPosts / 3);
            // Each round measures all three in turn, so a ratio compares runs minutes apart, not a quiet
            // minute with a busy one; the rounds' spread is then the machine's noise.
            for (int i = 1; i <= repeats; i++) {
                String suffix = repeats == 1 ? "" : "#" + i;
                ModelThroughputBench.Row ceiling = tight.batched(job.batchMaxTokens(), job.batchMaxSize());
                ModelThroughputBench.Row other = tight.batched(job.batchMaxTokens() * 2, job.batchMaxSize() * 2);
                if (other.postsPerSecond() > ceiling.postsPerSecond()) {
                    ceiling = other;
                }
                PipelineBench.Run perRecord = bench.run("per_record" + suffix, perRecordPosts, Map.of("classify.mode", "per-record"), 0);
                PipelineBench.Run pipeline = bench.run("pipeline" + suffix, posts, Map.of(), 0);
                rounds.add(new Round(ceiling, perRecord, pipeline));
            }
        }
        Round typical = rounds.stream().sorted(java.util.Comparator.comparingDouble(Round::fractionOfCeiling))
                .toList().get((rounds.size() - 1) / 2);
        ModelThroughputBench.Row ceiling = typical.ceiling();
        PipelineBench.Run perRecord = typical.perRecord();
        PipelineBench.Run pipeline = typical.pipeline();
        double half = pipeline.postsPerSecond() / 2;
        PipelineBench.Run latency = bench.run("pipeline_at_50pct", (int) Math.max(100, half * latencySeconds), Map.of(), half);
        List<PipelineBench.Run> shadowed = new ArrayList<>();
        List<Double> fractions = shadowFractions.stream().filter(f -> f > 0).toList();
        if (!fractions.isEmpty()) {
            try (ShadowStore scratch = ShadowStore.of(model, shadowVersion)) {
                PipelineBench withShadow = new PipelineBench(scratch.serving(), PipelineBench.asSample(texts), parallelism, settings,
                        System.err::println);
                for (double f : fractions) {
                    shadowed.add(withShadow.runWithShadow(shadowRunName(f), posts, new PipelineBench.Shadow(scratch.candidate(), f)));
                }
            }
        }

        System.out.printf(Locale.ROOT, "model %s/%s, %s, parallelism %d, batches of <= %d posts / %d padded tokens / %d ms wait,"
                        + " overhead %d tokens, async capacity %d%n", model.modelName(), model.modelVersion(), file.getFileName(),
                parallelism, job.batchMaxSize(), job.batchMaxTokens(), job.batchMaxWait().toMillis(), job.batchOverheadTokens(),
                job.asyncCapacity());
        System.out.printf(Locale.ROOT, "%-22s %9s %10s %8s %8s %12s %9s %9s%n", "run", "posts/s", "tokens/s", "pad-eff", "batch",
                "fwd ms/post", "p50 ms", "p99 ms");
        printTightLoop("tight loop, batch 1", batchOne);
        for (int i = 0; i < rounds.size(); i++) {
            Round round = rounds.get(i);
            printTightLoop(rounds.size() == 1 ? "ceiling (tight loop)" : "ceiling #" + (i + 1), round.ceiling());
            printJobRun(round.perRecord(), tokensPerPost);
            printJobRun(round.pipeline(), tokensPerPost);
        }
        List<PipelineBench.Run> jobRuns = new ArrayList<>(List.of(latency));
        jobRuns.addAll(shadowed);
        for (PipelineBench.Run r : jobRuns) {
            printJobRun(r, tokensPerPost);
        }
        System.out.println("per_record = the same job with classify.mode=per-record (one forward pass per post in a map on the"
                + " task thread, the DJL example's pattern); latency = created_at (producer send) -> processed_at;"
                + " fwd ms/post = the batcher's forward-pass time per post (tight loop: 1000 / posts/s);"
                + " speedup_bound = ceiling / tight loop at batch 1: what batching itself can gain with this model on this hardware;"
                + " shadow_N = the micro-batched job at saturation with a same-size shadow on N% of the posts (every shadowed"
                + " post is labelled twice: inference per event = 1 + N%)"
                + (rounds.size() > 1 ? "; #N = round N of --repeats (ceiling, per-record, pipeline in turn); the single"
                        + " figures below are the median round's (by fraction of ceiling), then each ratio's median, min and max"
                        + " over the rounds." : "."));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", model.modelName() + "/" + model.modelVersion());
        json.put("ceiling_posts_per_s", round(ceiling.postsPerSecond()));
        json.put("per_record_posts_per_s", round(perRecord.postsPerSecond()));
        json.put("pipeline_posts_per_s", round(pipeline.postsPerSecond()));
        json.put("pipeline_tokens_per_s", round(pipeline.postsPerSecond() * tokensPerPost));
        json.put("speedup_vs_per_record", round(pipeline.postsPerSecond() / perRecord.postsPerSecond()));
        json.put("fraction_of_ceiling", round(pipeline.postsPerSecond() / ceiling.postsPerSecond()));
        json.put("speedup_bound", round(ceiling.postsPerSecond() / batchOne.postsPerSecond()));
        json.put("padding_efficiency", pipeline.batcher() == null ? null : round(pipeline.batcher().paddingEfficiency()));
        json.put("mean_batch_size", pipeline.batcher() == null ? null : round(pipeline.batcher().meanBatchSize()));
        json.put("pipeline_forward_ms_per_post", pipeline.batcher() == null ? null : round(pipeline.batcher().inferenceMillisPerPost()));
        json.put("ceiling_forward_ms_per_post", round(1000 / ceiling.postsPerSecond()));
        json.put("p50_ms", latency.p50Millis());
        json.put("p99_ms", latency.p99Millis());
        json.put("latency_rate_posts_per_s", round(half));
        if (rounds.size() > 1) {
            json.put("repeats", rounds.size());
            putSpread(json, "fraction_of_ceiling", rounds.stream().mapToDouble(Round::fractionOfCeiling).toArray());
            putSpread(json, "speedup_vs_per_record", rounds.stream().mapToDouble(Round::speedupVsPerRecord).toArray());
            putSpread(json, "ceiling_posts_per_s", rounds.stream().mapToDouble(r -> r.ceiling().postsPerSecond()).toArray());
            putSpread(json, "pipeline_posts_per_s", rounds.stream().mapToDouble(r -> r.pipeline().postsPerSecond()).toArray());
            putSpread(json, "per_record_posts_per_s", rounds.stream().mapToDouble(r -> r.perRecord().postsPerSecond()).toArray());
        }
        for (PipelineBench.Run r : shadowed) {
            json.put(r.name() + "_posts_per_s", round(r.postsPerSecond()));
            json.put(r.name() + "_vs_pipeline", round(r.postsPerSecond() / pipeline.postsPerSecond()));
            json.put(r.name() + "_inference_per_event", round(r.inferencePerEvent()));
        }
        System.out.println(new ObjectMapper().writeValueAsString(json));
        return 0;
    }

    /** One interleaved round: the tight-loop ceiling, the per-record job and the micro-batched job, one after another. */
    record Round(ModelThroughputBench.Row ceiling, PipelineBench.Run perRecord, PipelineBench.Run pipeline) {
        double fractionOfCeiling() {
            return pipeline.postsPerSecond() / ceiling.postsPerSecond();
        }

        double speedupVsPerRecord() {
            return pipeline.postsPerSecond() / perRecord.postsPerSecond();
        }
    }

    /** {@code name_median}, {@code name_min}, {@code name_max} over the rounds. */
    static void putSpread(Map<String, Object> json, String name, double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        json.put(name + "_median", round(median));
        json.put(name + "_min", round(sorted[0]));
        json.put(name + "_max", round(sorted[n - 1]));
    }

    private static void printJobRun(PipelineBench.Run r, long tokensPerPost) {
        // No batcher (per-record): one post per forward pass, so nothing is padded.
        System.out.printf(Locale.ROOT, "%-22s %9.1f %10.0f %8.3f %8.1f %12s %9.0f %9.0f%n", r.name(), r.postsPerSecond(),
                r.postsPerSecond() * tokensPerPost, r.batcher() == null ? 1.0 : r.batcher().paddingEfficiency(),
                r.batcher() == null ? 1.0 : r.batcher().meanBatchSize(),
                r.batcher() == null ? "-" : String.format(Locale.ROOT, "%.2f", r.batcher().inferenceMillisPerPost()),
                r.p50Millis(), r.p99Millis());
    }

    /** shadow_10pct, shadow_100pct, shadow_2.5pct. */
    static String shadowRunName(double fraction) {
        return "shadow_" + new java.math.BigDecimal(fraction * 100).round(new java.math.MathContext(4)).stripTrailingZeros()
                .toPlainString() + "pct";
    }

    private static void printTightLoop(String label, ModelThroughputBench.Row r) {
        System.out.printf(Locale.ROOT, "%-22s %9.1f %10.0f %8.3f %8.1f %12.2f %9s %9s%n", label, r.postsPerSecond(),
                r.tokensPerSecond(), r.paddingEfficiency(), r.meanBatchSize(), 1000 / r.postsPerSecond(), "-", "-");
    }

    private static void putIfSet(Map<String, String> settings, String key, Object value) {
        if (value != null) {
            settings.put(key, value.toString());
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
