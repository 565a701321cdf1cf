package com.emotionmonitor.train;

import com.emotionmonitor.model.BatchPredictor;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What picks the best checkpoint and the n-gram weight: one set's macro-F1, or the mean of several sets' macro-F1
 * (a hold-out of each domain's training file: each domain counts the same, whatever the size of its hold-out, as
 * each has its own bar).
 */
public record Selection(List<LabeledSet> sets) {

    public Selection {
        sets = List.copyOf(sets);
        if (sets.isEmpty()) {
            throw new IllegalArgumentException("no selection set");
        }
    }

    public static Selection of(LabeledSet set) {
        return new Selection(List.of(set));
    }

    /** The sets' names, joined with " + ". */
    public String name() {
        return sets.stream().map(LabeledSet::name).collect(Collectors.joining(" + "));
    }

    public int size() {
        return sets.stream().mapToInt(LabeledSet::size).sum();
    }

    /** A fingerprint of every set, in order ({@link LabeledSet#sha256()}). */
    public String sha256() {
        return com.emotionmonitor.store.ArtifactFiles.sha256(sets.stream().map(LabeledSet::sha256)
                .collect(Collectors.joining("\n")).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The mean over the sets of {@code predictor}'s macro-F1. */
    public double macroF1(BatchPredictor predictor) {
        return sets.stream().mapToDouble(s -> s.evaluate(predictor).macroF1()).average().orElseThrow();
    }
}
