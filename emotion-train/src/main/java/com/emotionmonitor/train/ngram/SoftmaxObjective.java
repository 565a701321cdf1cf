package com.emotionmonitor.train.ngram;

/**
 * The regularised multinomial logistic loss, in sklearn's scaling so that C means what it means there:
 * <pre>
 *   f(W, b) = (1 / S) sum_i w_i CE(softmax(x_i W + b), y_i) + ||W||^2 / (2 C S),   S = sum_i w_i
 * </pre>
 * (sklearn minimises C sum_i w_i CE_i + ||W||^2 / 2, the same minimiser). The intercept is not
 * penalised. Parameters are laid out {@code x[column * classes + class]}, then the {@code classes} biases.
 */
final class SoftmaxObjective implements DifferentiableFunction {

    private final FeatureMatrix data;
    private final int[] labels;
    private final double[] rowWeight;
    private final int classes;
    private final double l2;

    /**
     * @param sampleWeights one non-negative weight per row (class balancing)
     * @param c inverse regularisation strength, as sklearn's C
     */
    SoftmaxObjective(FeatureMatrix data, int[] labels, double[] sampleWeights, int classes, double c) {
        if (labels.length != data.rows || sampleWeights.length != data.rows) {
            throw new IllegalArgumentException("need one label and one weight per row: " + data.rows + " rows, "
                    + labels.length + " labels, " + sampleWeights.length + " weights");
        }
        if (!(c > 0)) {
            throw new IllegalArgumentException("C must be positive: " + c);
        }
        double total = 0;
        for (double w : sampleWeights) {
            if (!(w >= 0)) {
                throw new IllegalArgumentException("sample weights must be non-negative: " + w);
            }
            total += w;
        }
        if (!(total > 0)) {
            throw new IllegalArgumentException("sample weights sum to zero: nothing to learn from");
        }
        this.data = data;
        this.labels = labels;
        this.classes = classes;
        this.rowWeight = new double[sampleWeights.length];
        for (int i = 0; i < sampleWeights.length; i++) {
            rowWeight[i] = sampleWeights[i] / total;
        }
        this.l2 = 1 / (c * total);
    }

    @Override
    public int dimension() {
        return (data.columns + 1) * classes;
    }

    int biasOffset() {
        return data.columns * classes;
    }

    @Override
    public double valueAndGradient(double[] x, double[] gradient) {
        int biasAt = biasOffset();
        double value = 0;
        for (int i = 0; i < biasAt; i++) {
            value += 0.5 * l2 * x[i] * x[i];
            gradient[i] = l2 * x[i];
        }
        for (int c = 0; c < classes; c++) {
            gradient[biasAt + c] = 0;
        }
        double[] z = new double[classes];
        int[] cols = data.cols;
        float[] vals = data.vals;
        for (int r = 0; r < data.rows; r++) {
            double w = rowWeight[r];
            if (w == 0) {
                continue;
            }
            int from = data.rowStart[r];
            int to = data.rowStart[r + 1];
            for (int c = 0; c < classes; c++) {
                z[c] = x[biasAt + c];
            }
            for (int k = from; k < to; k++) {
                int base = cols[k] * classes;
                double v = vals[k];
                for (int c = 0; c < classes; c++) {
                    z[c] += v * x[base + c];
                }
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, z[c]);
            }
            int y = labels[r];
            double shiftedY = z[y] - max;
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                z[c] = Math.exp(z[c] - max);
                sum += z[c];
            }
            value += w * (Math.log(sum) - shiftedY); // CE = logsumexp(z) - z_y, computed without overflow
            for (int c = 0; c < classes; c++) {
                z[c] = w * (z[c] / sum - (c == y ? 1 : 0)); // now the residual d loss / d logit
                gradient[biasAt + c] += z[c];
            }
            for (int k = from; k < to; k++) {
                int base = cols[k] * classes;
                double v = vals[k];
                for (int c = 0; c < classes; c++) {
                    gradient[base + c] += v * z[c];
                }
            }
        }
        return value;
    }
}
