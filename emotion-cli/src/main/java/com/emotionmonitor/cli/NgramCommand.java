package com.emotionmonitor.cli;

import com.emotionmonitor.model.ngram.NgramClassifier;
import com.emotionmonitor.model.ngram.NgramSettings;
import com.emotionmonitor.model.ngram.WeightFormat;
import com.emotionmonitor.text.Vocabulary;
import com.emotionmonitor.train.ngram.NgramTrainingConfig;
import com.emotionmonitor.train.workflow.NgramWorkflow;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/emotion train ngram}: fits the character n-gram logistic regression (hashed TF-IDF over the
 * tokenizer's ids, class-balanced, L2) on the training files, optionally saves {@code ngram.bin}, and
 * reports each eval file. When saved, the figures come from the reloaded file, i.e. from what ships.
 * Prints per eval file macro-F1 and accuracy and, as the LAST line, one JSON object. Parses the flags and prints;
 * the recipe is {@link NgramWorkflow}.
 */
@Command(name = "ngram", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train and evaluate the character n-gram TF-IDF + logistic-regression classifier over token ids.")
public final class NgramCommand implements Callable<Integer> {

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
            description = "Timed passes over the eval posts in batches of " + NgramWorkflow.SPEED_BATCH + " (0 = skip; default ${DEFAULT-VALUE}).")
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

        NgramWorkflow.Request request = new NgramWorkflow.Request(trainFiles, nlpccFiles, evalFiles, vocabulary, settings,
                config, out, speedPasses);
        NgramWorkflow.Result result = new NgramWorkflow(System.out, NgramCommand::progressBar).run(request);
        System.out.println(new ObjectMapper().writeValueAsString(result.summary()));
        return 0;
    }

    /** The L-BFGS iterations as a progress bar on stderr, closed as training ends. */
    private static NgramWorkflow.Progress progressBar(int maxIterations) {
        ProgressBar bar = ProgressBars.builder("L-BFGS", maxIterations).build();
        return new NgramWorkflow.Progress() {
            @Override
            public void iteration(int iteration, double loss, double gradientMaxNorm) {
                bar.stepTo(iteration);
                bar.setExtraMessage(String.format(Locale.ROOT, " loss %.5f |g| %.1e", loss, gradientMaxNorm));
            }

            @Override
            public void close() {
                bar.close();
            }
        };
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
}
