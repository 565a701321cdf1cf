package com.emotionmonitor.train.workflow;

import com.emotionmonitor.data.JsonlPostReader;
import com.emotionmonitor.data.LabeledPost;
import com.emotionmonitor.data.OnError;
import com.emotionmonitor.model.ngram.NgramSettings;
import com.emotionmonitor.model.ngram.VocabularyStamp;
import com.emotionmonitor.text.TextPipeline;
import com.emotionmonitor.text.Vocabulary;
import com.emotionmonitor.train.EvaluationReport;
import com.emotionmonitor.train.HoldOutSplit;
import com.emotionmonitor.train.LabelScheme;
import com.emotionmonitor.train.LabeledSet;
import com.emotionmonitor.train.ngram.NgramTrainer;
import com.emotionmonitor.train.ngram.NgramTrainingConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the workflows share: reading the training files into one set, n-gram fitting, the figures they print. */
final class WorkflowSupport {

    private WorkflowSupport() {}

    /**
     * The training posts of every file, in order, through {@code pipeline} (empty posts dropped).
     *
     * @param heldOut per hold-out file, the tenth of it kept out of {@code train} (HoldOutSplit), in the order given
     */
    record TrainingData(LabeledSet train, Map<Path, HeldOut> heldOut) {}

    /**
     * @param posts the held-out posts
     * @param scheme how they spell their labels (NLPCC when the hold-out is an NLPCC file)
     */
    record HeldOut(List<LabeledPost> posts, LabelScheme scheme) {}

    /**
     * Reads {@code files} (SMP2020 labels), then {@code nlpccFiles} (NLPCC labels) into one training set.
     *
     * @param holdOutFiles files of {@code files} or {@code nlpccFiles} whose held-out tenth is set aside for selection
     *     (a file given twice in {@code files} trains twice without it)
     */
    static TrainingData readTraining(List<Path> files, List<Path> nlpccFiles, List<Path> holdOutFiles, TextPipeline pipeline)
            throws IOException {
        LabeledSet train = null;
        Map<Path, HeldOut> heldOut = new LinkedHashMap<>();
        holdOutFiles.forEach(f -> heldOut.put(f, null));
        for (int i = 0; i < files.size() + nlpccFiles.size(); i++) {
            boolean smp = i < files.size();
            Path f = smp ? files.get(i) : nlpccFiles.get(i - files.size());
            LabelScheme scheme = smp ? LabelScheme.SMP2020 : LabelScheme.NLPCC;
            List<LabeledPost> posts = JsonlPostReader.readAll(f, OnError.FAIL, LabeledSet.missingId(scheme)).posts();
            if (holdOutFiles.contains(f)) {
                HoldOutSplit.Parts parts = HoldOutSplit.split(posts);
                posts = parts.kept();
                heldOut.put(f, new HeldOut(parts.heldOut(), scheme));
            }
            LabeledSet s = LabeledSet.of(f.getFileName().toString(), posts, scheme, pipeline, true);
            train = train == null ? s : train.concat(s);
        }
        if (train == null) {
            throw new IllegalArgumentException("no training files");
        }
        return new TrainingData(train, heldOut);
    }

    /** Fits the six-class n-gram model on a training set, its features over {@code vocab}'s token ids. */
    static NgramTrainer.Result trainNgram(LabeledSet train, Vocabulary vocab, NgramSettings settings, NgramTrainingConfig config,
            NgramTrainer.Progress progress) {
        return new NgramTrainer(settings, config).train(train.encodings(), train.labels(), VocabularyStamp.of(vocab), progress);
    }

    /** Prints a report's title line and its confusion table. */
    static void printReport(PrintStream out, String title, EvaluationReport report) {
        out.println("== " + title);
        out.print(report.confusionTable());
    }

    /** A set's key in the summary line: its name without {@code .jsonl}. */
    static String summaryKey(String setName) {
        return setName.replace(".jsonl", "");
    }

    /** The summary line's figures, taken from a report's map (built once: it carries a bootstrap). */
    static Map<String, Object> headline(Map<String, Object> report) {
        Map<String, Object> h = new java.util.LinkedHashMap<>(); // a fixed order: the JSON line is compared across runs
        h.put("macro_f1", report.get("macro_f1"));
        h.put("accuracy", report.get("accuracy"));
        return h;
    }
}
