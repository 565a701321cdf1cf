package com.emotionmonitor.train.ngram;

import com.emotionmonitor.model.ngram.WeightFormat;

/**
 * How the logistic regression is fitted.
 *
 * @param c inverse L2 strength, as sklearn's {@code LogisticRegression(C=...)}
 * @param maxIterations L-BFGS iteration cap (sklearn's {@code max_iter})
 * @param tolerance stop when max |gradient| of the scaled objective is at most this (sklearn's {@code tol})
 * @param history L-BFGS memory: (s, y) pairs kept
 * @param balanced weight each post by {@code n / (classes * n_class)}, as {@code class_weight="balanced"}
 * @param format how the saved IDF and weights are stored
 */
public record NgramTrainingConfig(double c, int maxIterations, double tolerance, int history, boolean balanced, WeightFormat format) {

    /** C = 2 (chosen on usual_eval), up to 1000 iterations, tol 1e-4, memory 10, balanced, float32. */
    public static NgramTrainingConfig defaults() {
        return new NgramTrainingConfig(2, 1000, 1e-4, 10, true, WeightFormat.F32);
    }

    public NgramTrainingConfig {
        if (!(c > 0) || Double.isInfinite(c)) {
            throw new IllegalArgumentException("C must be positive and finite: " + c);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be >= 1: " + maxIterations);
        }
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("tolerance must be >= 0: " + tolerance);
        }
        if (history < 1) {
            throw new IllegalArgumentException("history must be >= 1: " + history);
        }
        if (format == null) {
            throw new IllegalArgumentException("format is required");
        }
    }

    public NgramTrainingConfig withC(double newC) {
        return new NgramTrainingConfig(newC, maxIterations, tolerance, history, balanced, format);
    }

    public NgramTrainingConfig withFormat(WeightFormat newFormat) {
        return new NgramTrainingConfig(c, maxIterations, tolerance, history, balanced, newFormat);
    }
}
