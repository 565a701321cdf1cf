package com.emotionmonitor.model;

import java.util.Arrays;

/**
 * One post's classification: the arg-max emotion and the six softmax probabilities in {@link Emotion}
 * order.
 */
public record Prediction(Emotion emotion, float[] probabilities) {

    public Prediction {
        if (probabilities.length != Emotion.count()) {
            throw new IllegalArgumentException("expected " + Emotion.count() + " probabilities, got " + probabilities.length);
        }
    }

    /**
     * The label of a post the model has nothing to read from ({@link com.emotionmonitor.text.PreparedText#isEmpty()}):
     * NEUTRAL, one-hot, by rule. The job and {@code classify} give it alike; the model is not run.
     */
    public static Prediction emptyText() {
        float[] oneHot = new float[Emotion.count()];
        oneHot[Emotion.NEUTRAL.ordinal()] = 1f;
        return new Prediction(Emotion.NEUTRAL, oneHot);
    }

    /** Builds a prediction from probabilities, picking the arg-max (first index wins ties). */
    public static Prediction fromProbabilities(float[] probabilities) {
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) {
            if (probabilities[i] > probabilities[best]) {
                best = i;
            }
        }
        return new Prediction(Emotion.ofIndex(best), probabilities);
    }

    public float confidence() {
        return probabilities[emotion.ordinal()];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prediction p && p.emotion == emotion && Arrays.equals(p.probabilities, probabilities);
    }

    @Override
    public int hashCode() {
        return 31 * emotion.hashCode() + Arrays.hashCode(probabilities);
    }

    @Override
    public String toString() {
        return "Prediction[" + emotion.label() + " " + Arrays.toString(probabilities) + "]";
    }
}
