package com.emotionmonitor.serving;

import com.emotionmonitor.model.ngram.NgramClassifier;
import com.emotionmonitor.text.Encoding;
import java.util.List;

/**
 * Decides, per post, whether a routed version's expert or its main model classifies it: a two-class
 * n-gram model over the same token ids (the main model's domain first, the expert's second) and a
 * threshold on the expert-domain probability. Hard routing keeps the cost at one BERT pass per post.
 */
public final class DomainGate {

    private final NgramClassifier classifier;
    private final double threshold;

    public DomainGate(NgramClassifier classifier, double threshold) {
        if (classifier.labels().size() != 2) {
            throw new IllegalArgumentException("a domain gate has two classes, this model has " + classifier.labels());
        }
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("gate threshold must be in (0, 1): " + threshold);
        }
        this.classifier = classifier;
        this.threshold = threshold;
    }

    /** {@code routes[i]} is true when post {@code i} goes to the expert. */
    public boolean[] routes(List<Encoding> batch) {
        boolean[] out = new boolean[batch.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = expertProbability(batch.get(i)) >= threshold;
        }
        return out;
    }

    public double expertProbability(Encoding post) {
        return classifier.probabilities(post)[1];
    }

    public List<String> domains() {
        return classifier.labels();
    }

    public double threshold() {
        return threshold;
    }
}
