package com.emotionmonitor.cli;

import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.text.Encoding;
import com.emotionmonitor.train.EvaluationReport;
import com.emotionmonitor.train.LabeledSet;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bin/emotion evaluate --model DIR --data FILE.jsonl}: cleans and classifies every row, prints the
 * confusion matrix and, as the LAST line, one JSON object (n, accuracy, macro_f1, per_class).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Classify a labelled JSONL file; confusion matrix, then one JSON line with n, accuracy, macro_f1, per_class.")
public final class EvaluateCommand implements Callable<Integer> {

    @Mixin ModelOption modelOption;

    @Option(names = "--data", required = true, description = "JSON Lines {\"id\",\"content\",\"label\"}.")
    Path data;

    @Override
    public Integer call() throws Exception {
        ProjectPaths.requireFile(data, "--data");
        Path dir = modelOption.resolve();
        try (EmotionModel model = EmotionModel.load(dir, modelOption.device())) {
            LabeledSet set = LabeledSet.read(data, model.textPipeline(), false);
            EvaluationReport report;
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName("evaluate").setInitialMax(set.size())
                    .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                    .build()) {
                report = set.evaluate((List<Encoding> batch) -> {
                    List<Prediction> p = model.predict(batch);
                    bar.stepBy(batch.size());
                    return p;
                });
            }
            System.out.println("model " + model.manifest().name() + "/" + model.manifest().version() + " on " + data
                    + (set.emptyAfterCleaning() > 0 ? " (" + set.emptyAfterCleaning() + " posts empty after cleaning)" : ""));
            System.out.print(report.confusionTable());
            Map<String, Object> json = report.toMap();
            System.out.println(new ObjectMapper().writeValueAsString(json));
        }
        return 0;
    }
}
