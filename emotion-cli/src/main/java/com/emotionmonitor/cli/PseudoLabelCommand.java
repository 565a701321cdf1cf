package com.emotionmonitor.cli;

import com.emotionmonitor.data.JsonlPostReader;
import com.emotionmonitor.data.LabeledPost;
import com.emotionmonitor.data.OnError;
import com.emotionmonitor.model.Emotion;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.store.ModelStore;
import com.emotionmonitor.text.Encoding;
import com.emotionmonitor.text.PreparedText;
import com.emotionmonitor.train.BatchedInference;
import com.emotionmonitor.train.LabelScheme;
import com.emotionmonitor.train.distill.PseudoLabels;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/emotion train pseudo-label}: self-training's training file. The teachers (their mean, as
 * {@code evaluate --mean-with} scores it) label an unlabelled file; a post is kept when the mean's top probability
 * reaches {@code --min-confidence}, at most {@code --total} posts split by a labelled file's class shares
 * ({@link PseudoLabels}). Posts equal to a text of an {@code --exclude} file (the SMP2020 train and eval files by
 * default) are left out, so neither a hold-out nor an eval text is trained on. The output is a labelled JSONL file
 * that {@code train finetune --train} reads like any other.
 */
@Command(name = "pseudo-label", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Label an unlabelled JSONL file with the mean of the teachers' probabilities and keep the confident posts,"
                + " per class at most --total x the class's share in --shares-of: a training file for train finetune --train"
                + " (self-training). Posts equal to a text of an --exclude file are left out. Last line: one JSON object.")
public final class PseudoLabelCommand implements Callable<Integer> {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    @Option(names = "--teacher", description = "Teacher version directory (repeatable: the mean of their probabilities;"
            + " default: the newest weibo-emotion).")
    List<Path> teachers = new ArrayList<>();
    @Option(names = "--data", required = true, description = "Unlabelled JSON Lines {\"id\",\"content\"} (a label is ignored).")
    Path data;
    @Option(names = "--out", required = true, description = "The labelled JSONL file to write {\"id\",\"content\",\"label\",\"confidence\"}.")
    Path out;
    @Option(names = "--min-confidence", defaultValue = "0.5", description = "Keep a post when the mean's top probability"
            + " reaches this (default ${DEFAULT-VALUE}).")
    double minConfidence;
    @Option(names = "--total", defaultValue = "5000", description = "At most this many posts, split by --shares-of"
            + " (default ${DEFAULT-VALUE}).")
    int total;
    @Option(names = "--shares-of", description = "A labelled file whose class shares split --total (default:"
            + " ../shared/data/smp2020-ewect/virus_train.jsonl).")
    Path sharesOf;
    @Option(names = "--exclude", description = "A labelled or unlabelled file whose texts (whitespace removed) are left out"
            + " (repeatable; default: the four SMP2020-EWECT train and eval files).")
    List<Path> exclude = new ArrayList<>();
    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, gpu or gpu:N.")
    String device;

    @Override
    public Integer call() throws Exception {
        Path smp = ProjectPaths.sharedData().resolve("smp2020-ewect");
        ProjectPaths.requireFile(data, "--data");
        Path shares = ProjectPaths.requireFile(sharesOf != null ? sharesOf : smp.resolve("virus_train.jsonl"), "--shares-of");
        List<Path> excluded = new ArrayList<>();
        for (Path p : exclude.isEmpty() ? List.of(smp.resolve("usual_train.jsonl"), smp.resolve("virus_train.jsonl"),
                smp.resolve("usual_eval.jsonl"), smp.resolve("virus_eval.jsonl")) : exclude) {
            excluded.add(ProjectPaths.requireFile(p, "--exclude"));
        }
        List<Path> teacherDirs = new ArrayList<>();
        for (Path t : teachers) {
            teacherDirs.add(ProjectPaths.requireDirectory(t, "--teacher"));
        }
        if (teacherDirs.isEmpty()) {
            teacherDirs.add(ModelStore.latest(ProjectPaths.modelStore(), ModelOption.DEFAULT_MODEL));
        }

        List<Emotion> labels = new ArrayList<>();
        for (LabeledPost p : JsonlPostReader.readAll(shares, OnError.FAIL).posts()) {
            if (p.label() == null) {
                throw new IllegalArgumentException("--shares-of " + shares + " line " + p.lineNumber() + ": no label");
            }
            labels.add(LabelScheme.SMP2020.toEmotion(p.label()));
        }
        Map<Emotion, Integer> quota = PseudoLabels.quotas(PseudoLabels.shares(labels), total);
        Set<String> excludedTexts = new HashSet<>();
        for (Path p : excluded) {
            for (LabeledPost post : JsonlPostReader.readAll(p, OnError.FAIL, JsonlPostReader.MissingId.LINE_NUMBER).posts()) {
                excludedTexts.add(key(post.content()));
            }
        }
        List<LabeledPost> posts = new ArrayList<>();
        int leftOut = 0;
        for (LabeledPost post : JsonlPostReader.readAll(data, OnError.FAIL, JsonlPostReader.MissingId.LINE_NUMBER).posts()) {
            if (excludedTexts.contains(key(post.content()))) {
                leftOut++;
            } else {
                posts.add(post);
            }
        }

        float[][] mean = new float[posts.size()][Emotion.count()];
        boolean[] empty = new boolean[posts.size()];
        List<String> names = new ArrayList<>();
        for (Path dir : teacherDirs) {
            // One teacher at a time, closed before the next is loaded; each reads the posts through its own pipeline.
            try (EmotionModel model = EmotionModel.load(dir, device)) {
                String name = model.manifest().name() + "/" + model.manifest().version();
                names.add(name);
                List<Encoding> encodings = new ArrayList<>(posts.size());
                for (int i = 0; i < posts.size(); i++) {
                    PreparedText t = model.textPipeline().prepare(posts.get(i).content());
                    empty[i] |= t.isEmpty();
                    encodings.add(t.encoding());
                }
                List<Prediction> preds;
                try (ProgressBar bar = ProgressBars.builder("label " + name, posts.size()).build()) {
                    preds = BatchedInference.predictAll(batch -> {
                        List<Prediction> p = model.predict(batch);
                        bar.stepBy(batch.size());
                        return p;
                    }, encodings, 4096, 128);
                }
                for (int i = 0; i < preds.size(); i++) {
                    float[] p = preds.get(i).probabilities();
                    for (int c = 0; c < p.length; c++) {
                        mean[i][c] += p[c] / teacherDirs.size();
                    }
                }
            }
        }
        // A post empty after cleaning is served as neutral without a model: it teaches the student nothing.
        List<PseudoLabels.Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < posts.size(); i++) {
            if (!empty[i]) {
                candidates.add(new PseudoLabels.Candidate(posts.get(i).id(), posts.get(i).content(), mean[i]));
            }
        }
        List<PseudoLabels.Labelled> kept = PseudoLabels.select(candidates, minConfidence, quota);

        ObjectMapper json = new ObjectMapper();
        Map<Emotion, Integer> perClass = new EnumMap<>(Emotion.class);
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (PseudoLabels.Labelled l : kept) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", l.id());
                row.put("content", l.content());
                row.put("label", l.label().label());
                row.put("confidence", Math.round(l.confidence() * 1e4) / 1e4);
                w.write(json.writeValueAsString(row));
                w.newLine();
                perClass.merge(l.label(), 1, Integer::sum);
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("teachers", names);
        summary.put("data", data.toString());
        summary.put("posts", posts.size() + leftOut);
        summary.put("left_out_as_excluded", leftOut);
        summary.put("empty_after_cleaning", posts.size() - candidates.size());
        summary.put("kept", kept.size());
        Map<String, Object> classes = new LinkedHashMap<>();
        for (Emotion e : Emotion.values()) {
            classes.put(e.label(), perClass.getOrDefault(e, 0) + " of at most " + quota.get(e));
        }
        summary.put("per_class", classes);
        summary.put("out", out.toString());
        summary.put("sha256", com.emotionmonitor.store.ArtifactFiles.sha256(out));
        System.out.println(json.writeValueAsString(summary));
        return 0;
    }

    /** Whitespace removed: the same post with other spacing is the same text. */
    private static String key(String content) {
        return WHITESPACE.matcher(content).replaceAll("");
    }
}
