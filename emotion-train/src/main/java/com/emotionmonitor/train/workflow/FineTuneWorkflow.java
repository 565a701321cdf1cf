package com.emotionmonitor.train.workflow;

import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.model.ngram.NgramClassifier;
import com.emotionmonitor.model.ngram.NgramSettings;
import com.emotionmonitor.model.ngram.WeightFormat;
import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.serving.EnsemblePredictor;
import com.emotionmonitor.store.ReferenceDistribution;
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
import com.emotionmonitor.train.Selection;
import com.emotionmonitor.train.LabelScheme;
import com.emotionmonitor.train.LabeledSet;
import com.emotionmonitor.train.StartingPoint;
import com.emotionmonitor.train.ngram.NgramTrainer;
import com.emotionmonitor.train.ngram.NgramTrainingConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Fine-tuning recipe ({@code bin/emotion train finetune}): builds or reads the vocabulary, fine-tunes from a pretrained
 * encoder (or from scratch), selects on the selection set's macro-F1, reports every eval set, optionally mixes in a
 * character n-gram model (weight chosen on the selection set) and publishes the result to the model store. Progress
 * text (the selection line, confusion tables, the ensemble line) goes to the stream given to the constructor.
 */
public final class FineTuneWorkflow {

    /**
     * How a long fine-tune spans several sittings.
     *
     * @param everySteps checkpoint every N steps (0: only when the run stops early)
     * @param maxSteps stop this sitting after N steps (0: no limit)
     * @param resume continue the work directory's checkpoint, if it has one
     */
    public record Checkpointing(int everySteps, int maxSteps, boolean resume) {
        public static final Checkpointing NONE = new Checkpointing(0, 0, false);
    }

    /**
     * Where and how to publish the result.
     *
     * @param command the command line that reproduces the run, recorded in the manifest
     */
    public record Publish(Path store, String name, String version, String command) {

        public Publish {
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(command, "command");
        }
    }

    /**
     * A fine-tuning run, every input resolved.
     *
     * @param pretrained a pretrained encoder (checkpoint, work dir or published version), or null to train from scratch
     *     (the vocabulary is then built from the training files, and {@code layers}, {@code hidden}, {@code heads} apply)
     * @param keepLayers the classifier keeps only the lower N layers of {@code pretrained} (0 = all of them)
     * @param trainFiles training files with SMP2020 labels (may be empty when {@code nlpccFiles} is not: an intermediate
     *     task on another corpus's labels, before the six-way fine-tune starts from its result)
     * @param nlpccFiles extra training files with NLPCC labels (LabelScheme.NLPCC)
     * @param selectionFile the model-selection file (when there are no {@code holdOutFiles})
     * @param holdOutFiles training files (of {@code trainFiles} or {@code nlpccFiles}) whose held-out tenth selects instead
     *     (HoldOutSplit), each training without that tenth; with several, selection maximises their mean macro-F1
     * @param evalFiles the report files
     * @param ngram whether to train and mix in a character n-gram model with inverse L2 strength {@code ngramC}
     * @param publish where to publish the result, or null to keep it unpublished
     * @param checkpointing whether the run checkpoints and continues an earlier one ({@link Checkpointing#NONE}: neither)
     */
    public record Request(Path pretrained, int keepLayers, List<Path> trainFiles, List<Path> nlpccFiles, Path selectionFile,
            List<Path> holdOutFiles, List<Path> evalFiles, int layers, int hidden, int heads, int epochs, float lr,
            float warmup, float dropout, float weightDecay, int maxTokens, int maxBatch, String classWeighting, int evalEvery,
            double maxMinutes, long seed, String device, Path workDir, boolean ngram, double ngramC, Publish publish,
            WeightFormat weightFormat, Checkpointing checkpointing) {

        /** Without checkpoints or resume. */
        public Request(Path pretrained, List<Path> trainFiles, List<Path> nlpccFiles, Path selectionFile,
                List<Path> holdOutFiles, List<Path> evalFiles, int layers, int hidden, int heads, int epochs, float lr,
                float warmup, float dropout, float weightDecay, int maxTokens, int maxBatch, String classWeighting, int evalEvery,
                double maxMinutes, long seed, String device, Path workDir, boolean ngram, double ngramC, Publish publish,
                WeightFormat weightFormat) {
            this(pretrained, 0, trainFiles, nlpccFiles, selectionFile, holdOutFiles, evalFiles, layers, hidden, heads, epochs,
                    lr, warmup, dropout, weightDecay, maxTokens, maxBatch, classWeighting, evalEvery, maxMinutes, seed, device,
                    workDir, ngram, ngramC, publish, weightFormat, Checkpointing.NONE);
        }

        /** One selection file, or (with {@code selectOnHoldout}) the held-out tenth of that training file. */
        public Request(Path pretrained, List<Path> trainFiles, List<Path> nlpccFiles, Path selectionFile,
                boolean selectOnHoldout, List<Path> evalFiles, int layers, int hidden, int heads, int epochs, float lr,
                float warmup, float dropout, float weightDecay, int maxTokens, int maxBatch, String classWeighting,
                int evalEvery, double maxMinutes, long seed, String device, Path workDir, boolean ngram, double ngramC,
                Publish publish, WeightFormat weightFormat) {
            this(pretrained, trainFiles, nlpccFiles, selectionFile, selectOnHoldout ? List.of(selectionFile) : List.of(),
                    evalFiles, layers, hidden, heads, epochs, lr, warmup, dropout, weightDecay, maxTokens, maxBatch,
                    classWeighting, evalEvery, maxMinutes, seed, device, workDir, ngram, ngramC, publish, weightFormat);
        }

        /** The same, storing its BERT weights in f32, as trained. */
        public Request(Path pretrained, List<Path> trainFiles, List<Path> nlpccFiles, Path selectionFile,
                boolean selectOnHoldout, List<Path> evalFiles, int layers, int hidden, int heads, int epochs, float lr,
                float warmup, float dropout, float weightDecay, int maxTokens, int maxBatch, String classWeighting,
                int evalEvery, double maxMinutes, long seed, String device, Path workDir, boolean ngram, double ngramC,
                Publish publish) {
            this(pretrained, trainFiles, nlpccFiles, selectionFile, selectOnHoldout, evalFiles, layers, hidden, heads, epochs,
                    lr, warmup, dropout, weightDecay, maxTokens, maxBatch, classWeighting, evalEvery, maxMinutes, seed, device,
                    workDir, ngram, ngramC, publish, WeightFormat.F32);
        }

        public Request {
            StartingPoint.checkKeepLayers(pretrained, keepLayers);
            Objects.requireNonNull(weightFormat, "weightFormat");
            Objects.requireNonNull(checkpointing, "checkpointing");
            trainFiles = List.copyOf(trainFiles);
            nlpccFiles = List.copyOf(nlpccFiles);
            evalFiles = List.copyOf(evalFiles);
            holdOutFiles = List.copyOf(new java.util.LinkedHashSet<>(holdOutFiles));
            Objects.requireNonNull(workDir, "workDir");
            if (holdOutFiles.isEmpty()) {
                Objects.requireNonNull(selectionFile, "selectionFile");
            }
            if (trainFiles.isEmpty() && nlpccFiles.isEmpty()) {
                throw new IllegalArgumentException("no training files");
            }
            for (Path f : holdOutFiles) {
                if (!trainFiles.contains(f) && !nlpccFiles.contains(f)) {
                    throw new IllegalArgumentException("the hold-out " + f + " is not one of the training files");
                }
            }
        }

        /** Whether selection is on hold-outs of training files rather than on a named file. */
        public boolean selectOnHoldout() {
            return !holdOutFiles.isEmpty();
        }
    }

    /**
     * @param training the fine-tuning result (best weights, BERT-only reports)
     * @param summary the figures of the run, for the command's last line: architecture, best step, training seconds,
     *     per report file macro-F1 and accuracy (then the ensemble's and the n-gram weight), and where it was published
     * @param published the published version's directory, or null
     */
    public record Result(FineTuner.Result training, Map<String, Object> summary, Path published) {}

    private final PrintStream out;
    private volatile FineTuner running;
    private volatile boolean stopRequested;

    /** @param out where the progress text goes (the CLI passes System.out) */
    public FineTuneWorkflow(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /** Asks a running {@link #run} to checkpoint at the next step and return without publishing (SIGTERM). */
    public void requestStop() {
        stopRequested = true;
        FineTuner t = running;
        if (t != null) {
            t.requestStop();
        }
    }

    public Result run(Request r) throws IOException {
        StartingPoint start = r.pretrained() != null ? StartingPoint.read(r.pretrained(), r.keepLayers()) : null;
        Vocabulary vocab = start != null ? start.vocabulary() : vocabularyOf(r.trainFiles(), r.nlpccFiles());
        // Posts are tokenized as the starting weights were trained: an imported Hugging Face encoder names its tokenizer.
        TextPipeline pipeline = start == null ? TextPipeline.standard(vocab)
                : TextPipeline.standard(vocab, start.tokenizer(), start.architecture().maxPositions());
        WorkflowSupport.TrainingData data = WorkflowSupport.readTraining(r.trainFiles(), r.nlpccFiles(), r.holdOutFiles(),
                pipeline);
        LabeledSet trainSet = data.train();
        List<LabeledSet> selectionSets = new ArrayList<>();
        if (r.selectOnHoldout()) {
            data.heldOut().forEach((f, h) -> selectionSets.add(LabeledSet.of(holdOutName(f), h.posts(), h.scheme(), pipeline, false)));
        } else {
            selectionSets.add(LabeledSet.read(r.selectionFile(), pipeline, false));
        }
        Selection selection = new Selection(selectionSets);
        out.printf(Locale.ROOT, "selection on %s: %d posts%s%n", selection.name(), selection.size(),
                selectionSets.size() > 1 ? " (the mean of their macro-F1)" : "");
        List<LabeledSet> reports = new ArrayList<>();
        for (Path f : r.evalFiles()) {
            boolean isSelectionFile = !r.selectOnHoldout() && f.equals(r.selectionFile());
            reports.add(isSelectionFile ? selectionSets.get(0) : LabeledSet.read(f, pipeline, false));
        }
        FineTuneConfig config = new FineTuneConfig(r.pretrained(), r.keepLayers(), BertConfig.of(vocab.size(), r.layers(), r.hidden(),
                r.heads()), r.epochs(), r.lr(), r.warmup(), r.dropout(), r.weightDecay(), r.maxTokens(), r.maxBatch(),
                r.classWeighting(), r.evalEvery(), r.maxMinutes(), r.seed(), r.device(), r.workDir(), r.weightFormat(),
                r.checkpointing().everySteps(), r.checkpointing().maxSteps(), r.checkpointing().resume());
        FineTuner tuner = new FineTuner(config, start);
        running = tuner;
        if (stopRequested) {
            tuner.requestStop();
        }
        FineTuner.Result result;
        try {
            result = tuner.run(vocab, trainSet, selection, reports);
        } finally {
            running = null;
        }

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("architecture", result.architecture().shortName());
        summary.put("best_step", result.bestStep());
        summary.put("steps", result.steps());
        summary.put("training_seconds", Math.round(result.trainingSeconds()));
        for (Map.Entry<String, EvaluationReport> e : result.reports().entrySet()) {
            WorkflowSupport.printReport(out, e.getKey(), e.getValue());
            summary.put(WorkflowSupport.summaryKey(e.getKey()), WorkflowSupport.headline(e.getValue().toMap()));
        }
        if (stopRequested) {
            // Asked to stop (SIGTERM): the checkpoint is written; what is unfinished is neither mixed nor published.
            out.printf(Locale.ROOT, "stopped at step %d: checkpoint in %s, continue with --resume; nothing published%n",
                    result.steps(), r.workDir().resolve(com.emotionmonitor.train.FineTuneCheckpoint.LATEST));
            summary.put("stopped_at_step", result.steps());
            return new Result(result, summary, null);
        }
        ClassifierPublisher.NgramPart ngramPart = null;
        if (r.ngram()) {
            ngramPart = trainNgram(r, result, vocab, trainSet, selection, reports, summary);
        }
        Path published = null;
        if (r.publish() != null) {
            String parent = r.pretrained() == null ? null : r.pretrained().toString();
            published = ClassifierPublisher.publishEnsemble(result, ngramPart, r.publish().store(), r.publish().name(),
                    r.publish().version(), parent, manifestTraining(r, start), reference(r, trainSet));
            summary.put("published", published.toString());
        }
        return new Result(result, summary, published);
    }

    /** The hold-out's name in reports: the file's, with "-holdout" before the extension. */
    public static String holdOutName(Path file) {
        return file.getFileName().toString().replaceFirst("(\\.jsonl)?(\\.gz)?$", "-holdout.jsonl");
    }

    /** From scratch: the vocabulary of every training text, cleaned as the pipeline cleans it. */
    private static Vocabulary vocabularyOf(List<Path> trainFiles, List<Path> nlpccFiles) throws IOException {
        VocabularyBuilder vb = new VocabularyBuilder();
        List<Path> all = new ArrayList<>(trainFiles);
        all.addAll(nlpccFiles);
        for (Path f : all) {
            LabeledSet.readTexts(f).forEach(t -> vb.add(PostPreprocessor.standard().prepare(t).text()));
        }
        return vb.build(2, 50, 500);
    }

    /** Trains the n-gram half on the same posts and vocabulary, picks the weight on the selection set, reports the mix. */
    private ClassifierPublisher.NgramPart trainNgram(Request r, FineTuner.Result result, Vocabulary vocab, LabeledSet trainSet,
            Selection selection, List<LabeledSet> reports, Map<String, Object> summary) {
        NgramTrainingConfig defaults = NgramTrainingConfig.defaults();
        NgramTrainingConfig cfg = new NgramTrainingConfig(r.ngramC(), defaults.maxIterations(), defaults.tolerance(),
                defaults.history(), defaults.balanced(), WeightFormat.parse("f16"));
        NgramTrainer.Result trained = WorkflowSupport.trainNgram(trainSet, vocab, NgramSettings.defaults(), cfg,
                (i, l, g) -> {});
        NgramClassifier ngramModel = trained.classifier();
        try (EmotionModel bert = EmotionModel.unpublished(result.architecture(), vocab, result.tokenizer(), result.weights(),
                r.device())) {
            List<List<Prediction>> selBert = new ArrayList<>();
            List<List<Prediction>> selNgram = new ArrayList<>();
            List<List<com.emotionmonitor.model.Emotion>> selGold = new ArrayList<>();
            for (LabeledSet s : selection.sets()) {
                selBert.add(BatchedInference.predictAll(bert, s.encodings(), 4096, 128));
                selNgram.add(ngramModel.predict(s.encodings()));
                selGold.add(s.labels());
            }
            EnsembleTuner.Choice choice = EnsembleTuner.chooseOnMean(selBert, selNgram, selGold);
            out.printf(Locale.ROOT, "ensemble on %s: n-gram weight %.2f -> macro-F1 %.4f (BERT alone %.4f, n-gram alone %.4f)%n",
                    selection.name(), choice.weight(), choice.macroF1(), choice.bertOnlyMacroF1(), choice.ngramOnlyMacroF1());
            if (selection.sets().size() > 1) {
                for (int k = 0; k < selection.sets().size(); k++) {
                    out.printf(Locale.ROOT, "  %s: mix %.4f, BERT alone %.4f%n", selection.sets().get(k).name(),
                            EnsembleTuner.report(EnsemblePredictor.mix(selBert.get(k), selNgram.get(k), choice.weight()),
                                    selGold.get(k)).macroF1(),
                            EnsembleTuner.report(selBert.get(k), selGold.get(k)).macroF1());
                }
            }
            Map<String, Object> mixed = new LinkedHashMap<>();
            Map<String, Object> ngramOnly = new LinkedHashMap<>();
            for (LabeledSet set : reports) {
                List<Prediction> b = BatchedInference.predictAll(bert, set.encodings(), 4096, 128);
                List<Prediction> n = ngramModel.predict(set.encodings());
                EvaluationReport mix = EnsembleTuner.report(EnsemblePredictor.mix(b, n, choice.weight()), set.labels());
                EvaluationReport alone = EnsembleTuner.report(n, set.labels());
                Map<String, Object> mixMap = mix.toMap();
                mixed.put(set.name(), mixMap);
                ngramOnly.put(set.name(), alone.toMap());
                WorkflowSupport.printReport(out, "ensemble on " + set.name(), mix);
                summary.put("ensemble_" + WorkflowSupport.summaryKey(set.name()), WorkflowSupport.headline(mixMap));
            }
            summary.put("ngram_weight", choice.weight());
            Map<String, Object> metrics = new LinkedHashMap<>(mixed);
            metrics.put("ngram_only", ngramOnly);
            Map<String, Object> ngramTraining = new LinkedHashMap<>();
            ngramTraining.put("features", "token-id 1-3-grams, 2^18 signed hash buckets, sublinear tf-idf, L2-normalised");
            ngramTraining.put("model", "multinomial logistic regression, L-BFGS, balanced class weights, C=" + r.ngramC()
                    + ", f16 weights");
            ngramTraining.put("iterations", trained.iterations());
            ngramTraining.put("weight_selected_on", selection.name());
            return new ClassifierPublisher.NgramPart(ngramModel, choice.weight(), selection.name(), metrics, ngramTraining);
        }
    }

    /**
     * The label shares of the posts the model was trained on (repeated files count again, posts empty after cleaning
     * and the selection hold-out do not, as in training): the mix the job compares each window with (drift).
     */
    private static ReferenceDistribution reference(Request r, LabeledSet trainSet) {
        List<String> files = new ArrayList<>();
        r.trainFiles().forEach(f -> files.add(f.getFileName().toString()));
        r.nlpccFiles().forEach(f -> files.add(f.getFileName() + " (" + LabelScheme.NLPCC.id() + " labels mapped)"));
        return ReferenceDistribution.of(trainSet.labels(), "gold labels of the training posts as trained: "
                + String.join(" + ", files) + (r.selectOnHoldout() ? ", without the selection hold-out" : "")
                + ", posts empty after cleaning left out");
    }

    /** What the manifest says about the run: the command, the data files with their sha256, the hyper-parameters. */
    private static Map<String, Object> manifestTraining(Request r, StartingPoint start) {
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("command", r.publish().command());
        if (start != null) {
            training.put("starting_point", start.provenance());
        }
        List<Object> data = new ArrayList<>();
        for (Path f : r.trainFiles()) {
            Map<String, String> d = new LinkedHashMap<>(ClassifierPublisher.describe(f));
            if (r.holdOutFiles().contains(f)) {
                d.put("excluding", "the selection hold-out: " + HoldOutSplit.RULE);
            }
            data.add(d);
        }
        for (Path f : r.nlpccFiles()) {
            Map<String, String> d = new LinkedHashMap<>(ClassifierPublisher.describe(f));
            if (r.holdOutFiles().contains(f)) {
                d.put("excluding", "the selection hold-out: " + HoldOutSplit.RULE);
            }
            d.put("labels", LabelScheme.NLPCC.id() + ": " + LabelScheme.NLPCC.mapping());
            data.add(d);
        }
        training.put("train_files", data);
        if (r.holdOutFiles().size() > 1) {
            List<Object> sels = new ArrayList<>();
            for (Path f : r.holdOutFiles()) {
                Map<String, String> sel = new LinkedHashMap<>(ClassifierPublisher.describe(f));
                sel.put("subset", HoldOutSplit.RULE);
                sels.add(sel);
            }
            training.put("selection_files", sels);
            training.put("selection_metric", "the mean of the hold-outs' macro-F1");
        } else {
            Map<String, String> sel = new LinkedHashMap<>(ClassifierPublisher.describe(
                    r.selectOnHoldout() ? r.holdOutFiles().get(0) : r.selectionFile()));
            if (r.selectOnHoldout()) {
                sel.put("subset", HoldOutSplit.RULE);
            }
            training.put("selection_file", sel);
        }
        training.put("epochs", r.epochs());
        training.put("peak_learning_rate", r.lr());
        training.put("warmup_fraction", r.warmup());
        training.put("dropout", r.dropout());
        training.put("weight_decay", r.weightDecay());
        training.put("optimizer", "AdamW, warmup + linear decay, grad clip 1.0");
        training.put("class_weighting", r.classWeighting());
        training.put("max_tokens_per_batch", r.maxTokens());
        training.put("bert_weights", r.weightFormat().name().toLowerCase(Locale.ROOT)
                + (r.weightFormat() == WeightFormat.F16 ? " (rounded after training; every figure is the rounded model's)" : ""));
        training.put("seed", r.seed());
        return training;
    }
}
