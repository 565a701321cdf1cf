package com.emotionmonitor.cli;

import com.emotionmonitor.data.JsonlPostReader;
import com.emotionmonitor.data.LabeledPost;
import com.emotionmonitor.data.OnError;
import com.emotionmonitor.model.Emotion;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.train.BatchedInference;
import com.emotionmonitor.train.EvaluationReport;
import com.emotionmonitor.train.HoldOutSplit;
import com.emotionmonitor.train.LabelScheme;
import com.emotionmonitor.train.LabeledSet;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bin/emotion evaluate --model DIR --data FILE.jsonl}: cleans and classifies every row, prints the
 * confusion matrix and, as the LAST line, one JSON object (n, accuracy, macro_f1, per_class). With
 * {@code --mean-with DIR} the mean of several versions' probabilities decides: the ensemble teacher that
 * {@code train distill --teacher A --teacher B} learns from, measured before it is distilled. With {@code --holdout}
 * only the tenth of a training file that fine-tuning held out is scored: the figure a default is chosen on.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Classify a labelled JSONL file; confusion matrix, then one JSON line with n, accuracy, macro_f1, per_class.")
public final class EvaluateCommand implements Callable<Integer> {

    @Mixin ModelOption modelOption;

    @Option(names = "--data", required = true, description = "JSON Lines {\"id\",\"content\",\"label\"}.")
    Path data;

    @Option(names = "--mean-with", description = "Another version to average with --model (repeatable): each classifies the"
            + " file through its own text pipeline and the mean of their probabilities decides (the ensemble teacher of"
            + " train distill --teacher A --teacher B).")
    List<Path> meanWith = new ArrayList<>();

    @Option(names = "--predictions", description = "Also write one JSON line per row: id, gold, predicted and the six"
            + " probabilities (in the labels' order), for error analysis.")
    Path predictions;

    @Option(names = "--holdout", description = "Score only the selection hold-out of --data (a training file): the tenth"
            + " of its posts that train finetune --select-on-holdout sets aside and chooses on (" + HoldOutSplit.RULE
            + "), so two versions are compared on the figure they were selected by, not on an eval file.")
    boolean holdout;

    @Override
    public Integer call() throws Exception {
        ProjectPaths.requireFile(data, "--data");
        List<Path> dirs = new ArrayList<>(List.of(modelOption.resolve()));
        for (Path p : meanWith) {
            dirs.add(ProjectPaths.requireDirectory(p, "--mean-with"));
        }
        List<String> names = new ArrayList<>();
        List<Emotion> gold = null;
        List<String> ids = null;
        float[][] mean = null;
        int empty = 0;
        List<LabeledPost> posts = JsonlPostReader.readAll(data, OnError.FAIL, LabeledSet.missingId(LabelScheme.SMP2020)).posts();
        if (holdout) {
            posts = HoldOutSplit.split(posts).heldOut();
        }
        String setName = data.getFileName() + (holdout ? " (hold-out: " + HoldOutSplit.RULE + ")" : "");
        for (Path dir : dirs) {
            // One version at a time, closed before the next is loaded.
            try (EmotionModel model = EmotionModel.load(dir, modelOption.device())) {
                names.add(model.manifest().name() + "/" + model.manifest().version());
                LabeledSet set = LabeledSet.of(setName, posts, model.textPipeline(), false);
                List<Prediction> preds;
                try (ProgressBar bar = ProgressBars.builder("evaluate " + names.get(names.size() - 1), set.size()).build()) {
                    preds = BatchedInference.predictAll(batch -> {
                        List<Prediction> p = model.predict(batch);
                        bar.stepBy(batch.size());
                        return p;
                    }, set.encodings(), 4096, 128);
                }
                if (gold == null) {
                    gold = set.labels();
                    ids = set.ids();
                    empty = set.emptyAfterCleaning();
                    mean = new float[preds.size()][Emotion.count()];
                }
                for (int i = 0; i < preds.size(); i++) {
                    float[] p = preds.get(i).probabilities();
                    for (int c = 0; c < p.length; c++) {
                        mean[i][c] += p[c] / dirs.size();
                    }
                }
            }
        }
        EvaluationReport report = new EvaluationReport();
        ObjectMapper mapper = new ObjectMapper();
        try (java.io.BufferedWriter rows = predictions == null ? null
                : java.nio.file.Files.newBufferedWriter(predictions, java.nio.charset.StandardCharsets.UTF_8)) {
            for (int i = 0; i < gold.size(); i++) {
                Emotion predicted = Prediction.fromProbabilities(mean[i]).emotion();
                report.add(gold.get(i), predicted);
                if (rows != null) {
                    Map<String, Object> row = new java.util.LinkedHashMap<>();
                    row.put("id", ids.get(i));
                    row.put("gold", gold.get(i).label());
                    row.put("predicted", predicted.label());
                    row.put("probabilities", mean[i]);
                    rows.write(mapper.writeValueAsString(row));
                    rows.newLine();
                }
            }
        }
        System.out.println("model " + String.join(" + ", names) + (names.size() > 1 ? " (mean of probabilities)" : "")
                + " on " + data + (holdout ? ", its hold-out tenth (" + posts.size() + " posts)" : "") + (empty > 0 ? " (" + empty + " posts empty after cleaning)" : ""));
        System.out.print(report.confusionTable());
        Map<String, Object> json = report.toMap();
        System.out.println(mapper.writeValueAsString(json));
        return 0;
    }
}
