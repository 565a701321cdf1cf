package com.emotionmonitor.train.distill;

import com.emotionmonitor.model.Emotion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Self-training's hard labels: unlabelled posts labelled by a teacher's argmax, kept when the teacher is confident
 * enough, at most a quota per class. The quotas follow a labelled file's class shares, because a teacher is most
 * confident on the frequent classes: taken by confidence alone, the kept posts would be mostly neutral and happy
 * and would shift a fine-tune towards them. Within a class the most confident posts are kept; ties keep file order.
 */
public final class PseudoLabels {

    private PseudoLabels() {}

    /** An unlabelled post and the teacher's six probabilities (in {@link Emotion} order). */
    public record Candidate(String id, String content, float[] probabilities) {}

    /** A kept post: the teacher's label and its probability. */
    public record Labelled(String id, String content, Emotion label, float confidence) {}

    /** Per class {@code round(share * total)}: the most pseudo-labels of each class. */
    public static Map<Emotion, Integer> quotas(Map<Emotion, Double> shares, int total) {
        if (total <= 0) {
            throw new IllegalArgumentException("the total must be positive, not " + total);
        }
        Map<Emotion, Integer> quota = new EnumMap<>(Emotion.class);
        for (Emotion e : Emotion.values()) {
            quota.put(e, (int) Math.round(shares.getOrDefault(e, 0.0) * total));
        }
        return quota;
    }

    /** The class shares of a labelled set. */
    public static Map<Emotion, Double> shares(List<Emotion> labels) {
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("no labels to take class shares from");
        }
        Map<Emotion, Double> shares = new EnumMap<>(Emotion.class);
        for (Emotion e : labels) {
            shares.merge(e, 1.0 / labels.size(), Double::sum);
        }
        return shares;
    }

    /**
     * The candidates whose top probability reaches {@code minConfidence}, labelled with that class; per class the
     * {@code quota} most confident. The result is in the candidates' order.
     */
    public static List<Labelled> select(List<Candidate> candidates, double minConfidence, Map<Emotion, Integer> quota) {
        Map<Emotion, List<Integer>> byClass = new EnumMap<>(Emotion.class);
        List<Labelled> all = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            int top = argmax(c.probabilities());
            Emotion label = Emotion.values()[top];
            all.add(new Labelled(c.id(), c.content(), label, c.probabilities()[top]));
            if (c.probabilities()[top] >= minConfidence) {
                byClass.computeIfAbsent(label, e -> new ArrayList<>()).add(i);
            }
        }
        boolean[] kept = new boolean[candidates.size()];
        byClass.forEach((label, idx) -> idx.stream()
                .sorted(Comparator.comparingDouble((Integer i) -> -all.get(i).confidence()).thenComparingInt(i -> i))
                .limit(quota.getOrDefault(label, 0))
                .forEach(i -> kept[i] = true));
        List<Labelled> out = new ArrayList<>();
        for (int i = 0; i < kept.length; i++) {
            if (kept[i]) {
                out.add(all.get(i));
            }
        }
        return out;
    }

    private static int argmax(float[] p) {
        if (p.length != Emotion.count()) {
            throw new IllegalArgumentException(p.length + " probabilities, not " + Emotion.count());
        }
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            if (p[k] > p[best]) {
                best = k;
            }
        }
        return best;
    }
}
