package com.emotionmonitor.cli;

import com.emotionmonitor.model.ngram.NgramClassifier;
import com.emotionmonitor.model.ngram.NgramSettings;
import com.emotionmonitor.train.ngram.NgramTrainer;
import com.emotionmonitor.train.ngram.NgramTrainingConfig;
import com.emotionmonitor.model.ngram.VocabularyStamp;
import com.emotionmonitor.model.ngram.WeightFormat;
import com.emotionmonitor.text.Encoding;
import com.emotionmonitor.text.TextPipeline;
import com.emotionmonitor.text.Vocabulary;
import com.emotionmonitor.train.EvaluationReport;
import com.emotionmonitor.train.LabelScheme;
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
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/emotion train ngram}: fits the character n-gram logistic regression (hashed TF-IDF over the
 * tokenizer's ids, class-balanced, L2) on the training files, optionally saves {@code ngram.bin}, and
 * reports each eval file. When saved, the figures come from the reloaded file, i.e. from what ships.
 * Prints per eval file macro-F1 and accuracy and, as the LAST line, one JSON object.
 */
@Command(name = "ngram", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train and evaluate the character n-gram TF-IDF + logistic-regression classifier over token ids.")
public final class NgramCommand implements Callable<Integer> {

    private static final int SPEED_BATCH = 64;
    private static final int WARM_UP_PASSES = 5;

    @Option(names = "--train", description = "Training JSONL files (repeatable; default usual_train).") List<Path> train;
    @Option(names = "--train-nlpcc", description = "Extra training files labelled with the NLPCC 2014 / CLUEEmotion2020 tags "
            + "(repeatable; mapped as LabelScheme.NLPCC).") List<Path> trainNlpcc;
    @Option(names = "--eval", description = "Eval JSONL files (repeatable; default usual_eval and virus_eval).") List<Path> eval;
    @Option(names = "--vocab", required = true, description = "vocab.txt of the text pipeline (the BERT's vocabulary).") Path vocab;
    @Option(names = "--out", description = "Save the model as DIR/" + NgramClassifier.FILE_NAME + ".") Path out;

    // Defaults live in NgramSettings.defaults() and NgramTrainingConfig.defaults(); an option overrides one field.
    @Option(names = "--hash-bits", description = "2^k hash buckets (default 18).") Integer hashBits;
    @Option(names = "--min-order", description = "Shortest n-gram in tokens (default 1).") Integer minOrder;
    @Option(names = "--max-order", description = "Longest n-gram in tokens (default 3).") Integer maxOrder;
    @Option(names = "--boundary-markers", arity = "1", description = "[CLS]/[SEP] in n-grams of order >= 2 (default false).")
    Boolean boundaryMarkers;
    @Option(names = "--signed-hash", arity = "1", description = "Random +-1 sign per n-gram against collision bias (default true).")
    Boolean signedHash;
    @Option(names = "--min-df", description = "Ignore buckets seen in fewer training posts (default 2).") Integer minDf;

    @Option(names = "--c", description = "Inverse L2 strength, as sklearn's C (default 2).") Double c;
    @Option(names = "--max-iterations", description = "L-BFGS iteration cap (default 1000).") Integer maxIterations;
    @Option(names = "--tolerance", description = "Stop at this max |gradient| (default 1e-4).") Double tolerance;
    @Option(names = "--history", description = "L-BFGS memory (default 10).") Integer history;
    @Option(names = "--class-weight", description = "balanced or none (default balanced).") String classWeight;
    @Option(names = "--weights", description = "Stored precision: f32 or f16 (default f32).") String weights;
    @Option(names = "--speed-passes", defaultValue = "20",
            description = "Timed passes over the eval posts in batches of " + SPEED_BATCH + " (0 = skip; default ${DEFAULT-VALUE}).")
    int speedPasses;

    @Override
    public Integer call() throws Exception {
        NgramSettings settings;
        NgramTrainingConfig config;
        List<Path> trainFiles;
        List<Path> nlpccFiles;
        List<Path> evalFiles;
        Vocabulary vocabulary;
        try {
            Path smp = ProjectPaths.sharedData().resolve("smp2020-ewect");
            trainFiles = train != null ? train : List.of(smp.resolve("usual_train.jsonl"));
            evalFiles = eval != null ? eval : List.of(smp.resolve("usual_eval.jsonl"), smp.resolve("virus_eval.jsonl"));
            nlpccFiles = trainNlpcc != null ? trainNlpcc : List.of();
            trainFiles.forEach(f -> ProjectPaths.requireFile(f, "--train"));
            nlpccFiles.forEach(f -> ProjectPaths.requireFile(f, "--train-nlpcc"));
            evalFiles.forEach(f -> ProjectPaths.requireFile(f, "--eval"));
            ProjectPaths.requireFile(vocab, "--vocab");
            vocabulary = Vocabulary.load(vocab);
            settings = settings();
            config = trainingConfig();
        } catch (IllegalArgumentException e) {
            System.err.println("train ngram: " + e.getMessage());
            return 2;
        }

        TextPipeline pipeline = TextPipeline.standard(vocabulary);
        LabeledSet trainSet = null;
        for (Path f : trainFiles) {
            LabeledSet s = LabeledSet.read(f, pipeline, true);
            trainSet = trainSet == null ? s : trainSet.concat(s);
        }
        for (Path f : nlpccFiles) {
            trainSet = trainSet.concat(LabeledSet.read(f, LabelScheme.NLPCC, pipeline, true));
        }
        List<LabeledSet> evalSets = new ArrayList<>();
        for (Path f : evalFiles) {
            evalSets.add(LabeledSet.read(f, pipeline, false));
        }
        System.out.printf(Locale.ROOT, "training on %s: %d posts (%d empty after cleaning dropped), vocabulary %d tokens%n",
                trainSet.name(), trainSet.size(), trainSet.emptyAfterCleaning(), vocabulary.size());

        NgramTrainer.Result result;
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("L-BFGS").setInitialMax(config.maxIterations())
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
            result = new NgramTrainer(settings, config).train(trainSet.encodings(), trainSet.labels(),
                    VocabularyStamp.of(vocabulary), (it, loss, grad) -> {
                        bar.stepTo(it);
                        bar.setExtraMessage(String.format(Locale.ROOT, " loss %.5f |g| %.1e", loss, grad));
                    });
        }
        System.out.printf(Locale.ROOT, "trained in %.1f s: %d iterations (%d evaluations), stop: %s, loss %.6f, max |g| %.2e, "
                        + "%d active buckets, %d feature entries%n", result.seconds(), result.iterations(), result.evaluations(),
                result.stop(), result.loss(), result.gradientMaxNorm(), result.activeBuckets(), result.nonZeros());

        NgramClassifier model = result.classifier();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", "ngram-logreg");
        json.put("train", trainFiles.stream().map(Path::toString).toList());
        if (!nlpccFiles.isEmpty()) {
            json.put("train_nlpcc", nlpccFiles.stream().map(Path::toString).toList());
        }
        json.put("settings", settingsMap(settings));
        json.put("training", trainingMap(config, result, trainSet.size()));
        if (out != null) {
            Path file = model.save(out);
            model = NgramClassifier.load(out);
            model.requireVocabulary(vocabulary);
            json.put("model_file", file.toString());
            json.put("model_bytes", Files.size(file));
            System.out.printf(Locale.ROOT, "saved %s (%.2f MB); the figures below are from the reloaded file%n", file,
                    Files.size(file) / 1e6);
        }

        Map<String, Object> evals = new LinkedHashMap<>();
        for (LabeledSet set : evalSets) {
            EvaluationReport report = set.evaluate(model);
            System.out.println("== " + set.name());
            System.out.print(report.confusionTable());
            System.out.printf(Locale.ROOT, "%s: macro-F1 %.4f accuracy %.4f (n=%d)%n", set.name(), report.macroF1(),
                    report.accuracy(), report.n());
            evals.put(set.name().replace(".jsonl", ""), report.toMap());
        }
        json.put("eval", evals);
        if (speedPasses > 0 && !evalSets.isEmpty()) {
            json.put("predict_speed", speed(model, evalSets));
        }
        System.out.println(new ObjectMapper().writeValueAsString(json));
        return 0;
    }

    /** Single-threaded tight loop over the eval posts in input-order batches of 64, after JIT warm-up passes. */
    private Map<String, Object> speed(NgramClassifier model, List<LabeledSet> sets) {
        List<Encoding> posts = new ArrayList<>();
        sets.forEach(s -> posts.addAll(s.encodings()));
        long tokens = posts.stream().mapToLong(e -> e.length() - 2).sum();
        for (int p = 0; p < WARM_UP_PASSES; p++) {
            runPass(model, posts);
        }
        long start = System.nanoTime();
        for (int p = 0; p < speedPasses; p++) {
            runPass(model, posts);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batch_size", SPEED_BATCH);
        m.put("threads", 1);
        m.put("posts", (long) posts.size() * speedPasses);
        m.put("posts_per_second", Math.round(posts.size() * speedPasses / seconds));
        m.put("tokens_per_second", Math.round(tokens * speedPasses / seconds));
        System.out.printf(Locale.ROOT, "predict speed: %.0f posts/s, %.0f tokens/s (1 thread, batches of %d)%n",
                posts.size() * speedPasses / seconds, tokens * speedPasses / seconds, SPEED_BATCH);
        return m;
    }

    private static void runPass(NgramClassifier model, List<Encoding> posts) {
        for (int i = 0; i < posts.size(); i += SPEED_BATCH) {
            if (model.predict(posts.subList(i, Math.min(posts.size(), i + SPEED_BATCH))).isEmpty()) {
                throw new IllegalStateException("empty prediction batch");
            }
        }
    }

    private NgramSettings settings() {
        NgramSettings d = NgramSettings.defaults();
        return new NgramSettings(hashBits != null ? hashBits : d.hashBits(), minOrder != null ? minOrder : d.minOrder(),
                maxOrder != null ? maxOrder : d.maxOrder(), boundaryMarkers != null ? boundaryMarkers : d.boundaryMarkers(),
                signedHash != null ? signedHash : d.signedHash(), minDf != null ? minDf : d.minDf());
    }

    private NgramTrainingConfig trainingConfig() {
        NgramTrainingConfig d = NgramTrainingConfig.defaults();
        boolean balanced = d.balanced();
        if (classWeight != null) {
            if (!classWeight.equals("balanced") && !classWeight.equals("none")) {
                throw new IllegalArgumentException("--class-weight must be balanced or none: '" + classWeight + "'");
            }
            balanced = classWeight.equals("balanced");
        }
        return new NgramTrainingConfig(c != null ? c : d.c(), maxIterations != null ? maxIterations : d.maxIterations(),
                tolerance != null ? tolerance : d.tolerance(), history != null ? history : d.history(), balanced,
                weights != null ? WeightFormat.parse(weights) : d.format());
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
