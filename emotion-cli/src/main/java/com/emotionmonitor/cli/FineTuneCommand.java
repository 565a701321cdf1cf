package com.emotionmonitor.cli;

import com.emotionmonitor.data.JsonlPostReader;
import com.emotionmonitor.data.LabeledPost;
import com.emotionmonitor.data.OnError;
import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.serving.EnsemblePredictor;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.model.ngram.NgramClassifier;
import com.emotionmonitor.model.ngram.NgramSettings;
import com.emotionmonitor.train.ngram.NgramTrainer;
import com.emotionmonitor.train.ngram.NgramTrainingConfig;
import com.emotionmonitor.model.ngram.VocabularyStamp;
import com.emotionmonitor.model.ngram.WeightFormat;
import com.emotionmonitor.text.PostPreprocessor;
import com.emotionmonitor.text.TextPipeline;
import com.emotionmonitor.text.Vocabulary;
import com.emotionmonitor.text.VocabularyBuilder;
import com.emotionmonitor.train.BatchedInference;
import com.emotionmonitor.train.ClassifierPublisher;
import com.emotionmonitor.train.EnsembleTuner;
import com.emotionmonitor.train.EvaluationReport;
import com.emotionmonitor.train.FineTuneConfig;
import com.emotionmonitor.train.FineTuner;
import com.emotionmonitor.train.HoldOutSplit;
import com.emotionmonitor.train.LabelScheme;
import com.emotionmonitor.train.LabeledSet;
import com.emotionmonitor.train.PretrainCheckpoint;
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
 * {@code bin/emotion train finetune}: fine-tunes from a pretrained encoder (or from scratch), selects on
 * usual_eval macro-F1, reports every eval set, and optionally publishes the result to the model store.
 */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = "Fine-tune the emotion classifier; model selection on --selection macro-F1.")
public final class FineTuneCommand implements Callable<Integer> {

    @Option(names = "--pretrained", description = "Pretrained encoder: checkpoint, work dir, or model-store version.")
    Path pretrained;

    @Option(names = "--train", description = "Training files (repeatable; default usual_train).") List<Path> train;
    @Option(names = "--train-nlpcc", description = "Extra training files labelled with the NLPCC 2014 / CLUEEmotion2020 tags, "
            + "mapped onto the six classes (repeatable; see LabelScheme.NLPCC).") List<Path> trainNlpcc;
    @Option(names = "--selection", description = "Model-selection file (default usual_eval).") Path selection;
    @Option(names = "--select-on-holdout", description = "Instead of --selection: hold out one tenth of this --train file "
            + "(HoldOutSplit: by content hash, duplicates together), train without it and select on it.") Path selectOnHoldout;
    @Option(names = "--eval", description = "Report files (repeatable; default usual_eval and virus_eval).") List<Path> eval;

    @Option(names = "--layers", defaultValue = "4", description = "From scratch only.") int layers;
    @Option(names = "--hidden", defaultValue = "256", description = "From scratch only.") int hidden;
    @Option(names = "--heads", defaultValue = "4", description = "From scratch only.") int heads;
    @Option(names = "--epochs", defaultValue = "4") int epochs;
    @Option(names = "--lr", defaultValue = "1e-4") float lr;
    @Option(names = "--warmup", defaultValue = "0.1", description = "Warm-up fraction of all steps.") float warmup;
    @Option(names = "--dropout", defaultValue = "0.1") float dropout;
    @Option(names = "--weight-decay", defaultValue = "0.01") float weightDecay;
    @Option(names = "--max-tokens", defaultValue = "2048") int maxTokens;
    @Option(names = "--max-batch", defaultValue = "64") int maxBatch;
    @Option(names = "--class-weighting", defaultValue = "inverse-sqrt", description = "none, inverse-sqrt or inverse.") String weighting;
    @Option(names = "--eval-every", defaultValue = "0", description = "Select every N steps (0 = per epoch).") int evalEvery;
    @Option(names = "--max-minutes", defaultValue = "0") double maxMinutes;
    @Option(names = "--seed", defaultValue = "13") long seed;
    @Option(names = "--device", defaultValue = "auto") String device;
    @Option(names = "--work-dir", description = "Default: work/finetune.") Path workDir;

    @Option(names = "--ngram", description = "Also train a character n-gram model on the same data and serve the mix "
            + "(weight chosen on --selection).") boolean ngram;
    @Option(names = "--ngram-c", defaultValue = "2", description = "Inverse L2 strength of the n-gram model.") double ngramC;

    @Option(names = "--publish-version", description = "Publish the best weights as model-store/<name>/<version>.") String publishVersion;
    @Option(names = "--name", defaultValue = "weibo-emotion") String name;
    @Option(names = "--store", description = "Model store root (default: model-store/).") Path store;

    @Override
    public Integer call() throws Exception {
        Path smp = ProjectPaths.sharedData().resolve("smp2020-ewect");
        List<Path> trainFiles = train != null ? train : List.of(smp.resolve("usual_train.jsonl"));
        if (selection != null && selectOnHoldout != null) {
            System.err.println("train finetune: give --selection or --select-on-holdout, not both");
            return 2;
        }
        if (selectOnHoldout != null && !trainFiles.contains(selectOnHoldout)) {
            System.err.println("train finetune: --select-on-holdout " + selectOnHoldout + " is not one of the --train files");
            return 2;
        }
        Path selectionFile = selectOnHoldout != null ? selectOnHoldout : selection != null ? selection : smp.resolve("usual_eval.jsonl");
        List<Path> evalFiles = eval != null ? eval : List.of(smp.resolve("usual_eval.jsonl"), smp.resolve("virus_eval.jsonl"));
        List<Path> nlpccFiles = trainNlpcc != null ? trainNlpcc : List.of();
        trainFiles.forEach(f -> ProjectPaths.requireFile(f, "--train"));
        nlpccFiles.forEach(f -> ProjectPaths.requireFile(f, "--train-nlpcc"));
        ProjectPaths.requireFile(selectionFile, "--selection");
        evalFiles.forEach(f -> ProjectPaths.requireFile(f, "--eval"));

        Vocabulary vocab;
        if (pretrained != null) {
            ProjectPaths.requireDirectory(pretrained, "--pretrained");
            vocab = PretrainCheckpoint.read(pretrained).vocabulary();
        } else {
            VocabularyBuilder vb = new VocabularyBuilder();
            for (Path f : concat(trainFiles, nlpccFiles)) {
                LabeledSet.readTexts(f).forEach(t -> vb.add(PostPreprocessor.standard().prepare(t).text()));
            }
            vocab = vb.build(2, 50, 500);
        }
        TextPipeline pipeline = TextPipeline.standard(vocab);
        LabeledSet trainSet = null;
        List<LabeledPost> heldOut = null;
        for (Path f : trainFiles) {
            List<LabeledPost> posts = JsonlPostReader.readAll(f, OnError.FAIL).posts();
            if (f.equals(selectOnHoldout)) {
                HoldOutSplit.Parts parts = HoldOutSplit.split(posts);
                posts = parts.kept();
                heldOut = parts.heldOut();
            }
            LabeledSet s = LabeledSet.of(f.getFileName().toString(), posts, LabelScheme.SMP2020, pipeline, true);
            trainSet = trainSet == null ? s : trainSet.concat(s);
        }
        for (Path f : nlpccFiles) {
            trainSet = trainSet.concat(LabeledSet.read(f, LabelScheme.NLPCC, pipeline, true));
        }
        LabeledSet selectionSet = selectOnHoldout == null ? LabeledSet.read(selectionFile, pipeline, false)
                : LabeledSet.of(holdOutName(selectOnHoldout), heldOut, pipeline, false);
        System.out.printf(Locale.ROOT, "selection on %s: %d posts%n", selectionSet.name(), selectionSet.size());
        List<LabeledSet> reports = new ArrayList<>();
        for (Path f : evalFiles) {
            boolean isSelectionFile = selectOnHoldout == null && f.equals(selectionFile);
            reports.add(isSelectionFile ? selectionSet : LabeledSet.read(f, pipeline, false));
        }
        FineTuneConfig config = new FineTuneConfig(pretrained, BertConfig.of(vocab.size(), layers, hidden, heads), epochs, lr,
                warmup, dropout, weightDecay, maxTokens, maxBatch, weighting, evalEvery, maxMinutes, seed, device,
                workDir != null ? workDir : ProjectPaths.work().resolve("finetune"));
        FineTuner.Result result = new FineTuner(config).run(vocab, trainSet, selectionSet, reports);

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("architecture", result.architecture().shortName());
        summary.put("best_step", result.bestStep());
        summary.put("training_seconds", Math.round(result.trainingSeconds()));
        for (Map.Entry<String, EvaluationReport> e : result.reports().entrySet()) {
            System.out.println("== " + e.getKey());
            System.out.print(e.getValue().confusionTable());
            summary.put(e.getKey().replace(".jsonl", ""), headline(e.getValue().toMap()));
        }
        ClassifierPublisher.NgramPart ngramPart = null;
        if (ngram) {
            ngramPart = trainNgram(result, vocab, trainSet, selectionSet, reports, summary);
        }
        if (publishVersion != null) {
            Map<String, Object> training = new LinkedHashMap<>();
            training.put("command", "bin/emotion train finetune " + String.join(" ", reproduce()));
            List<Object> data = new ArrayList<>();
            for (Path f : trainFiles) {
                Map<String, String> d = new LinkedHashMap<>(ClassifierPublisher.describe(f));
                if (f.equals(selectOnHoldout)) {
                    d.put("excluding", "the selection hold-out: " + HoldOutSplit.RULE);
                }
                data.add(d);
            }
            for (Path f : nlpccFiles) {
                Map<String, String> d = new LinkedHashMap<>(ClassifierPublisher.describe(f));
                d.put("labels", LabelScheme.NLPCC.id() + ": " + LabelScheme.NLPCC.mapping());
                data.add(d);
            }
            training.put("train_files", data);
            Map<String, String> sel = new LinkedHashMap<>(ClassifierPublisher.describe(selectionFile));
            if (selectOnHoldout != null) {
                sel.put("subset", HoldOutSplit.RULE);
            }
            training.put("selection_file", sel);
            training.put("epochs", epochs);
            training.put("peak_learning_rate", lr);
            training.put("warmup_fraction", warmup);
            training.put("dropout", dropout);
            training.put("weight_decay", weightDecay);
            training.put("optimizer", "AdamW, warmup + linear decay, grad clip 1.0");
            training.put("class_weighting", weighting);
            training.put("max_tokens_per_batch", maxTokens);
            training.put("seed", seed);
            String parent = pretrained == null ? null : pretrained.toString();
            Path published = ClassifierPublisher.publishEnsemble(result, ngramPart,
                    store != null ? store : ProjectPaths.modelStore(), name, publishVersion, parent, training);
            summary.put("published", published.toString());
        }
        System.out.println(new ObjectMapper().writeValueAsString(summary));
        return 0;
    }

    /** Trains the n-gram half on the same posts and vocabulary, picks the weight on the selection set, reports the mix. */
    private ClassifierPublisher.NgramPart trainNgram(FineTuner.Result result, Vocabulary vocab, LabeledSet trainSet,
            LabeledSet selectionSet, List<LabeledSet> reports, Map<String, Object> summary) {
        NgramTrainingConfig defaults = NgramTrainingConfig.defaults();
        NgramTrainingConfig cfg = new NgramTrainingConfig(ngramC, defaults.maxIterations(), defaults.tolerance(),
                defaults.history(), defaults.balanced(), WeightFormat.parse("f16"));
        NgramTrainer.Result trained = new NgramTrainer(NgramSettings.defaults(), cfg)
                .train(trainSet.encodings(), trainSet.labels(), VocabularyStamp.of(vocab), (i, l, g) -> {});
        NgramClassifier ngramModel = trained.classifier();
        try (EmotionModel bert = EmotionModel.unpublished(result.architecture(), vocab, result.weights(), device)) {
            List<Prediction> selBert = BatchedInference.predictAll(bert, selectionSet.encodings(), 4096, 128);
            List<Prediction> selNgram = ngramModel.predict(selectionSet.encodings());
            EnsembleTuner.Choice choice = EnsembleTuner.choose(selBert, selNgram, selectionSet.labels());
            System.out.printf(Locale.ROOT, "ensemble on %s: n-gram weight %.2f -> macro-F1 %.4f (BERT alone %.4f, n-gram alone %.4f)%n",
                    selectionSet.name(), choice.weight(), choice.macroF1(), choice.bertOnlyMacroF1(), choice.ngramOnlyMacroF1());
            Map<String, Object> mixed = new LinkedHashMap<>();
            Map<String, Object> ngramOnly = new LinkedHashMap<>();
            for (LabeledSet r : reports) {
                List<Prediction> b = BatchedInference.predictAll(bert, r.encodings(), 4096, 128);
                List<Prediction> n = ngramModel.predict(r.encodings());
                EvaluationReport mix = EnsembleTuner.report(EnsemblePredictor.mix(b, n, choice.weight()), r.labels());
                EvaluationReport alone = EnsembleTuner.report(n, r.labels());
                Map<String, Object> mixMap = mix.toMap();
                mixed.put(r.name(), mixMap);
                ngramOnly.put(r.name(), alone.toMap());
                System.out.println("== ensemble on " + r.name());
                System.out.print(mix.confusionTable());
                summary.put("ensemble_" + r.name().replace(".jsonl", ""), headline(mixMap));
            }
            summary.put("ngram_weight", choice.weight());
            Map<String, Object> metrics = new LinkedHashMap<>(mixed);
            metrics.put("ngram_only", ngramOnly);
            Map<String, Object> ngramTraining = new LinkedHashMap<>();
            ngramTraining.put("features", "token-id 1-3-grams, 2^18 signed hash buckets, sublinear tf-idf, L2-normalised");
            ngramTraining.put("model", "multinomial logistic regression, L-BFGS, balanced class weights, C=" + ngramC + ", f16 weights");
            ngramTraining.put("iterations", trained.iterations());
            ngramTraining.put("weight_selected_on", selectionSet.name());
            return new ClassifierPublisher.NgramPart(ngramModel, choice.weight(), selectionSet.name(), metrics, ngramTraining);
        }
    }

    /** The summary line's figures, taken from a report's map (built once: it carries a bootstrap). */
    private static Map<String, Object> headline(Map<String, Object> report) {
        return Map.of("macro_f1", report.get("macro_f1"), "accuracy", report.get("accuracy"));
    }

    /** The hold-out's name in reports: the file's, with "-holdout" before the extension. */
    static String holdOutName(Path file) {
        return file.getFileName().toString().replaceFirst("(\\.jsonl)?$", "-holdout.jsonl");
    }

    private static List<Path> concat(List<Path> a, List<Path> b) {
        List<Path> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private List<String> reproduce() {
        List<String> a = new ArrayList<>();
        if (pretrained != null) {
            a.add("--pretrained " + pretrained);
        }
        if (train != null) {
            train.forEach(t -> a.add("--train " + t));
        }
        if (trainNlpcc != null) {
            trainNlpcc.forEach(t -> a.add("--train-nlpcc " + t));
        }
        if (selection != null) {
            a.add("--selection " + selection);
        }
        if (selectOnHoldout != null) {
            a.add("--select-on-holdout " + selectOnHoldout);
        }
        a.add("--epochs " + epochs);
        if (evalEvery > 0) {
            a.add("--eval-every " + evalEvery);
        }
        if (maxMinutes > 0) {
            a.add("--max-minutes " + maxMinutes);    // says the run was time-limited (where it stopped depends on the machine)
        }
        a.add("--lr " + lr);
        a.add("--class-weighting " + weighting);
        a.add("--seed " + seed);
        if (ngram) {
            a.add("--ngram --ngram-c " + ngramC);
        }
        return a;
    }
}
