package com.emotionmonitor.cli;

import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.text.TextPipeline;
import com.emotionmonitor.text.Vocabulary;
import com.emotionmonitor.train.ClassifierPublisher;
import com.emotionmonitor.train.EvaluationReport;
import com.emotionmonitor.train.FineTuneConfig;
import com.emotionmonitor.train.FineTuner;
import com.emotionmonitor.train.LabeledSet;
import com.emotionmonitor.train.PretrainCheckpoint;
import com.emotionmonitor.text.VocabularyBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
    @Option(names = "--selection", description = "Model-selection file (default usual_eval).") Path selection;
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

    @Option(names = "--publish-version", description = "Publish the best weights as model-store/<name>/<version>.") String publishVersion;
    @Option(names = "--name", defaultValue = "weibo-emotion") String name;
    @Option(names = "--store", description = "Model store root (default: model-store/).") Path store;

    @Override
    public Integer call() throws Exception {
        Path smp = ProjectPaths.sharedData().resolve("smp2020-ewect");
        List<Path> trainFiles = train != null ? train : List.of(smp.resolve("usual_train.jsonl"));
        Path selectionFile = selection != null ? selection : smp.resolve("usual_eval.jsonl");
        List<Path> evalFiles = eval != null ? eval : List.of(smp.resolve("usual_eval.jsonl"), smp.resolve("virus_eval.jsonl"));
        trainFiles.forEach(f -> ProjectPaths.requireFile(f, "--train"));
        ProjectPaths.requireFile(selectionFile, "--selection");
        evalFiles.forEach(f -> ProjectPaths.requireFile(f, "--eval"));

        Vocabulary vocab;
        if (pretrained != null) {
            ProjectPaths.requireDirectory(pretrained, "--pretrained");
            vocab = PretrainCheckpoint.read(pretrained).vocabulary();
        } else {
            VocabularyBuilder vb = new VocabularyBuilder();
            for (Path f : trainFiles) {
                LabeledSet.readTexts(f).forEach(t -> vb.add(com.emotionmonitor.text.PostPreprocessor.standard().prepare(t).text()));
            }
            vocab = vb.build(2, 50, 500);
        }
        TextPipeline pipeline = TextPipeline.standard(vocab);
        LabeledSet trainSet = null;
        for (Path f : trainFiles) {
            LabeledSet s = LabeledSet.read(f, pipeline, true);
            trainSet = trainSet == null ? s : trainSet.concat(s);
        }
        LabeledSet selectionSet = LabeledSet.read(selectionFile, pipeline, false);
        List<LabeledSet> reports = new ArrayList<>();
        for (Path f : evalFiles) {
            reports.add(f.equals(selectionFile) ? selectionSet : LabeledSet.read(f, pipeline, false));
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
            summary.put(e.getKey().replace(".jsonl", ""), Map.of("macro_f1", e.getValue().toMap().get("macro_f1"),
                    "accuracy", e.getValue().toMap().get("accuracy")));
        }
        if (publishVersion != null) {
            Map<String, Object> training = new LinkedHashMap<>();
            training.put("command", "bin/emotion train finetune " + String.join(" ", reproduce()));
            List<Object> data = new ArrayList<>();
            trainFiles.forEach(f -> data.add(ClassifierPublisher.describe(f)));
            training.put("train_files", data);
            training.put("selection_file", ClassifierPublisher.describe(selectionFile));
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
            Path published = ClassifierPublisher.publish(result, store != null ? store : ProjectPaths.modelStore(), name,
                    publishVersion, parent, training);
            summary.put("published", published.toString());
        }
        System.out.println(new ObjectMapper().writeValueAsString(summary));
        return 0;
    }

    private List<String> reproduce() {
        List<String> a = new ArrayList<>();
        if (pretrained != null) {
            a.add("--pretrained " + pretrained);
        }
        if (train != null) {
            train.forEach(t -> a.add("--train " + t));
        }
        a.add("--epochs " + epochs);
        a.add("--lr " + lr);
        a.add("--class-weighting " + weighting);
        a.add("--seed " + seed);
        return a;
    }
}
