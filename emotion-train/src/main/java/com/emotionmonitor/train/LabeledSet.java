package com.emotionmonitor.train;

import com.emotionmonitor.data.JsonlPostReader;
import com.emotionmonitor.data.LabeledPost;
import com.emotionmonitor.data.OnError;
import com.emotionmonitor.model.Emotion;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.model.BatchPredictor;
import com.emotionmonitor.text.Encoding;
import com.emotionmonitor.text.PreparedText;
import com.emotionmonitor.text.TextPipeline;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A labelled data set run through the text pipeline: encodings and gold labels side by side. Posts that
 * are empty after cleaning are kept (the reference keeps them in eval sets) unless the caller drops them
 * for training, where they teach nothing.
 */
public record LabeledSet(String name, List<String> ids, List<Encoding> encodings, List<Emotion> labels, int emptyAfterCleaning) {

    public static LabeledSet read(Path file, TextPipeline pipeline, boolean dropEmpty) throws IOException {
        return read(file, LabelScheme.SMP2020, pipeline, dropEmpty);
    }

    /** Reads a file whose labels are spelled in {@code scheme} (extra supervision from another corpus). */
    public static LabeledSet read(Path file, LabelScheme scheme, TextPipeline pipeline, boolean dropEmpty) throws IOException {
        List<LabeledPost> posts = JsonlPostReader.readAll(file, OnError.FAIL, missingId(scheme)).posts();
        return of(file.getFileName().toString(), posts, scheme, pipeline, dropEmpty);
    }

    public static LabeledSet of(String name, List<LabeledPost> posts, TextPipeline pipeline, boolean dropEmpty) {
        return of(name, posts, LabelScheme.SMP2020, pipeline, dropEmpty);
    }

    public static LabeledSet of(String name, List<LabeledPost> posts, LabelScheme scheme, TextPipeline pipeline, boolean dropEmpty) {
        List<String> ids = new ArrayList<>();
        List<Encoding> enc = new ArrayList<>();
        List<Emotion> labels = new ArrayList<>();
        int empty = 0;
        for (LabeledPost p : posts) {
            if (p.label() == null) {
                throw new IllegalArgumentException(name + " line " + p.lineNumber() + ": no label");
            }
            Emotion label;
            try {
                label = scheme.toEmotion(p.label());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " line " + p.lineNumber() + ": " + e.getMessage(), e);
            }
            PreparedText t = pipeline.prepare(p.content());
            if (t.isEmpty()) {
                empty++;
                if (dropEmpty) {
                    continue;
                }
            }
            ids.add(p.id());
            enc.add(t.encoding());
            labels.add(label);
        }
        return new LabeledSet(name, ids, enc, labels, empty);
    }

    /** The raw contents of a labelled file (for building a vocabulary from the training texts). */
    public static List<String> readTexts(Path file) throws IOException {
        return JsonlPostReader.readAll(file, OnError.FAIL, JsonlPostReader.MissingId.LINE_NUMBER).posts().stream()
                .map(LabeledPost::content).toList();
    }

    public int size() {
        return encodings.size();
    }

    public LabeledSet concat(LabeledSet other) {
        List<String> i = new ArrayList<>(ids);
        i.addAll(other.ids);
        List<Encoding> e = new ArrayList<>(encodings);
        e.addAll(other.encodings);
        List<Emotion> l = new ArrayList<>(labels);
        l.addAll(other.labels);
        return new LabeledSet(name + "+" + other.name, i, e, l, emptyAfterCleaning + other.emptyAfterCleaning);
    }

    public int[] lengths() {
        return encodings.stream().mapToInt(Encoding::length).toArray();
    }

    /** A fingerprint of the set as a model sees it: every post's token ids and label, in order. */
    public String sha256() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        try {
            for (int i = 0; i < size(); i++) {
                out.writeByte(labels.get(i).ordinal());
                int[] tokens = encodings.get(i).ids();
                out.writeInt(tokens.length);
                for (int t : tokens) {
                    out.writeInt(t);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a byte array stream does not fail
        }
        return com.emotionmonitor.store.ArtifactFiles.sha256(bytes.toByteArray());
    }

    public EvaluationReport evaluate(BatchPredictor predictor) {
        List<Prediction> preds = BatchedInference.predictAll(predictor, encodings, 4096, 128);
        EvaluationReport report = new EvaluationReport();
        for (int i = 0; i < preds.size(); i++) {
            report.add(labels.get(i), preds.get(i).emotion());
        }
        return report;
    }

    /** SMP files carry ids; the side corpora (NLPCC-tagged rows of pretrain-extra) often do not: their rows go by line. */
    public static JsonlPostReader.MissingId missingId(LabelScheme scheme) {
        return scheme == LabelScheme.SMP2020 ? JsonlPostReader.MissingId.FAIL : JsonlPostReader.MissingId.LINE_NUMBER;
    }
}
