package com.emotionmonitor.store;

import com.emotionmonitor.model.Emotion;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The label shares of the data a classifier was trained on, recorded in its manifest: the mix it is expected to
 * produce on traffic like its training data. The job measures each stats window's divergence from it (drift).
 *
 * @param source which posts were counted (the training files as trained, repeats counted again)
 * @param posts how many
 * @param shares label -> share of those posts, one entry per label in the manifest's label order, summing to 1
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReferenceDistribution(String source, long posts, Map<String, Double> shares) {

    public ReferenceDistribution {
        if (posts <= 0 || shares == null || shares.isEmpty()) {
            throw new IllegalArgumentException("a reference distribution needs posts and shares: " + posts + " " + shares);
        }
        shares = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(shares));
    }

    /** The shares of {@code labels} (the training posts' gold labels), over the six emotions in their order. */
    public static ReferenceDistribution of(Collection<Emotion> labels, String source) {
        long[] counts = new long[Emotion.count()];
        labels.forEach(e -> counts[e.ordinal()]++);
        Map<String, Double> shares = new LinkedHashMap<>();
        for (Emotion e : Emotion.values()) {
            shares.put(e.label(), round((double) counts[e.ordinal()] / labels.size()));
        }
        return new ReferenceDistribution(source, labels.size(), shares);
    }

    /**
     * The distribution of the union of several training sets (a routed version's main and expert data): each one's
     * shares weighted by its posts. Null if any part has none (an old manifest): no reference is better than a wrong one.
     */
    public static ReferenceDistribution combine(List<ReferenceDistribution> parts, String source) {
        long posts = 0;
        for (ReferenceDistribution p : parts) {
            if (p == null) {
                return null;
            }
            posts += p.posts();
        }
        Map<String, Double> shares = new LinkedHashMap<>();
        for (ReferenceDistribution p : parts) {
            double weight = (double) p.posts() / posts;
            p.shares().forEach((label, share) -> shares.merge(label, share * weight, Double::sum));
        }
        shares.replaceAll((label, share) -> round(share));
        return new ReferenceDistribution(source, posts, shares);
    }

    /** The shares in {@code labels} order (0 for a label the distribution does not name). */
    public double[] sharesIn(List<String> labels) {
        double[] out = new double[labels.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = shares.getOrDefault(labels.get(i), 0.0);
        }
        return out;
    }

    /** Six decimals: readable in the manifest, far below any divergence that matters. */
    private static double round(double share) {
        return Math.round(share * 1e6) / 1e6;
    }
}
