package com.emotionmonitor.train.workflow;

import com.emotionmonitor.model.ngram.NgramClassifier;
import com.emotionmonitor.model.ngram.NgramSettings;
import com.emotionmonitor.text.Encoding;
import com.emotionmonitor.text.TextPipeline;
import com.emotionmonitor.text.Vocabulary;
import com.emotionmonitor.train.EvaluationReport;
import com.emotionmonitor.train.LabeledSet;
import com.emotionmonitor.train.ngram.NgramTrainer;
import com.emotionmonitor.train.ngram.NgramTrainingConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * N-gram recipe ({@code bin/emotion train ngram}): fits the character n-gram logistic regression (hashed TF-IDF over the
 * tokenizer's ids, L-BFGS) on the training files, optionally saves {@code ngram.bin}, reports each eval file and times
 * prediction. When saved, the figures come from the reloaded file, i.e. from what ships. Progress text goes to the
 * stream given to the constructor; the L-BFGS iterations to the {@link Progress} it opens.
 */
public final class NgramWorkflow {

    /** Posts per batch in the timed prediction passes. */
    public static final int SPEED_BATCH = 64;
    private static final int WARM_UP_PASSES = 5;

    /**
     * An n-gram run, every input resolved.
     *
     * @param trainFiles training files with SMP2020 labels
     * @param nlpccFiles extra training files with NLPCC labels (LabelScheme.NLPCC)
     * @param evalFiles the report files
     * @param vocabulary the text pipeline's vocabulary (the BERT's)
     * @param saveDir where to save {@code ngram.bin}, or null to keep the model in memory
     * @param speedPasses timed passes over the eval posts in batches of 64 (0 = no timing)
     */
    public record Request(List<Path> trainFiles, List<Path> nlpccFiles, List<Path> evalFiles, Vocabulary vocabulary,
            NgramSettings settings, NgramTrainingConfig config, Path saveDir, int speedPasses) {

        public Request {
            trainFiles = List.copyOf(trainFiles);
            nlpccFiles = List.copyOf(nlpccFiles);
            evalFiles = List.copyOf(evalFiles);
            Objects.requireNonNull(vocabulary, "vocabulary");
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(config, "config");
            if (trainFiles.isEmpty()) {
                throw new IllegalArgumentException("no training files");
            }
        }
    }

    /**
     * @param training the L-BFGS run
     * @param model the model the figures were measured on (the reloaded file when saved)
     * @param reports per eval file name, its report
     * @param summary the command's last line: model, train files, settings, training, model file and size, eval figures,
     *     prediction speed
     * @param modelFile the saved {@code ngram.bin}, or null
     */
    public record Result(NgramTrainer.Result training, NgramClassifier model, Map<String, EvaluationReport> reports,
            Map<String, Object> summary, Path modelFile) {}

    /** Watches one L-BFGS run: opened (with the iteration cap) as it starts, closed as it ends. */
    public interface Progress extends NgramTrainer.Progress, AutoCloseable {

        @Override
        void close();

        /** Watches nothing. */
        static Progress none() {
            return new Progress() {
                @Override
                public void iteration(int iteration, double loss, double gradientMaxNorm) {}

                @Override
                public void close() {}
            };
        }
    }

    private final PrintStream out;
    private final IntFunction<Progress> progress;

    /** @param out where the progress text goes (the CLI passes System.out) */
    public NgramWorkflow(PrintStream out) {
        this(out, maxIterations -> Progress.none());
    }

    /**
     * @param out where the progress text goes (the CLI passes System.out)
     * @param progress opens a watcher of the L-BFGS iterations, given the iteration cap (the CLI draws a progress bar)
     */
    public NgramWorkflow(PrintStream out, IntFunction<Progress> progress) {
        this.out = Objects.requireNonNull(out, "out");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    public Result run(Request r) throws IOException {
        Vocabulary vocabulary = r.vocabulary();
        TextPipeline pipeline = TextPipeline.standard(vocabulary);
        LabeledSet trainSet = WorkflowSupport.readTraining(r.trainFiles(), r.nlpccFiles(), List.of(), pipeline).train();
        List<LabeledSet> evalSets = new ArrayList<>();
        for (Path f : r.evalFiles()) {
            evalSets.add(LabeledSet.read(f, pipeline, false));
        }
        out.printf(Locale.ROOT, "training on %s: %d posts (%d empty after cleaning dropped), vocabulary %d tokens%n",
                trainSet.name(), trainSet.size(), trainSet.emptyAfterCleaning(), vocabulary.size());

        NgramTrainer.Result result;
        try (Progress watch = progress.apply(r.config().maxIterations())) {
            result = WorkflowSupport.trainNgram(trainSet, vocabulary, r.settings(), r.config(), watch);
        }
        out.printf(Locale.ROOT, "trained in %.1f s: %d iterations (%d evaluations), stop: %s, loss %.6f, max |g| %.2e, "
                        + "%d active buckets, %d feature entries%n", result.seconds(), result.iterations(), result.evaluations(),
                result.stop(), result.loss(), result.gradientMaxNorm(), result.activeBuckets(), result.nonZeros());

        NgramClassifier model = result.classifier();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", "ngram-logreg");
        json.put("train", r.trainFiles().stream().map(Path::toString).toList());
        if (!r.nlpccFiles().isEmpty()) {
            json.put("train_nlpcc", r.nlpccFiles().stream().map(Path::toString).toList());
        }
        json.put("settings", settingsMap(r.settings()));
        json.put("training", trainingMap(r.config(), result, trainSet.size()));
        Path file = null;
        if (r.saveDir() != null) {
            file = model.save(r.saveDir());
            model = NgramClassifier.load(r.saveDir());
            model.requireVocabulary(vocabulary);
            json.put("model_file", file.toString());
            json.put("model_bytes", Files.size(file));
            out.printf(Locale.ROOT, "saved %s (%.2f MB); the figures below are from the reloaded file%n", file,
                    Files.size(file) / 1e6);
        }

        Map<String, EvaluationReport> reports = new LinkedHashMap<>();
        Map<String, Object> evals = new LinkedHashMap<>();
        for (LabeledSet set : evalSets) {
            EvaluationReport report = set.evaluate(model);
            WorkflowSupport.printReport(out, set.name(), report);
            out.printf(Locale.ROOT, "%s: macro-F1 %.4f accuracy %.4f (n=%d)%n", set.name(), report.macroF1(),
                    report.accuracy(), report.n());
            reports.put(set.name(), report);
            evals.put(WorkflowSupport.summaryKey(set.name()), report.toMap());
        }
        json.put("eval", evals);
        if (r.speedPasses() > 0 && !evalSets.isEmpty()) {
            json.put("predict_speed", speed(model, evalSets, r.speedPasses()));
        }
        return new Result(result, model, reports, json, file);
    }

    /** Single-threaded tight loop over the eval posts in input-order batches of 64, after JIT warm-up passes. */
    private Map<String, Object> speed(NgramClassifier model, List<LabeledSet> sets, int passes) {
        List<Encoding> posts = new ArrayList<>();
        sets.forEach(s -> posts.addAll(s.encodings()));
        long tokens = posts.stream().mapToLong(e -> e.length() - 2).sum();
        for (int p = 0; p < WARM_UP_PASSES; p++) {
            runPass(model, posts);
        }
        long start = System.nanoTime();
        for (int p = 0; p < passes; p++) {
            runPass(model, posts);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batch_size", SPEED_BATCH);
        m.put("threads", 1);
        m.put("posts", (long) posts.size() * passes);
        m.put("posts_per_second", Math.round(posts.size() * passes / seconds));
        m.put("tokens_per_second", Math.round(tokens * passes / seconds));
        out.printf(Locale.ROOT, "predict speed: %.0f posts/s, %.0f tokens/s (1 thread, batches of %d)%n",
                posts.size() * passes / seconds, tokens * passes / seconds, SPEED_BATCH);
        return m;
    }

    private static void runPass(NgramClassifier model, List<Encoding> posts) {
        for (int i = 0; i < posts.size(); i += SPEED_BATCH) {
            if (model.predict(posts.subList(i, Math.min(posts.size(), i + SPEED_BATCH))).isEmpty()) {
                throw new IllegalStateException("empty prediction batch");
            }
        }
    }

    private static Map<String, Object> settingsMap(NgramSettings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hash_bits", s.hashBits());
        m.put("min_order", s.minOrder());
        m.put("max_order", s.maxOrder());
        m.put("boundary_markers", s.boundaryMarkers());
        m.put("signed_hash", s.signedHash());
        m.put("min_df", s.minDf());
        m.put("tf", "1 + ln tf");
        m.put("idf", "ln((1 + N) / (1 + df)) + 1");
        m.put("norm", "l2");
        return m;
    }

    private static Map<String, Object> trainingMap(NgramTrainingConfig config, NgramTrainer.Result r, int posts) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("posts", posts);
        m.put("c", config.c());
        m.put("class_weight", config.balanced() ? "balanced" : "none");
        m.put("optimizer", "L-BFGS (full batch, memory " + config.history() + ", Armijo backtracking) from zero");
        m.put("max_iterations", config.maxIterations());
        m.put("tolerance", config.tolerance());
        m.put("weights", config.format().name().toLowerCase(Locale.ROOT));
        m.put("iterations", r.iterations());
        m.put("evaluations", r.evaluations());
        m.put("stop", r.stop());
        m.put("loss", r.loss());
        m.put("seconds", Math.round(r.seconds() * 10) / 10.0);
        m.put("active_buckets", r.activeBuckets());
        return m;
    }
}
