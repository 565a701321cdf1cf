package com.emotionmonitor.train.ngram;

import com.emotionmonitor.model.ngram.SparseVector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SoftmaxObjectiveTest {

    @Test
    void gradientMatchesFiniteDifferences() {
        Random rnd = new Random(42);
        int buckets = 16;
        int classes = 6;
        List<SparseVector> rows = new ArrayList<>();
        int[] labels = new int[12];
        double[] weights = new double[12];
        for (int r = 0; r < 12; r++) {
            int n = 1 + rnd.nextInt(4);
            int[] idx = rnd.ints(0, buckets).distinct().limit(n).sorted().toArray();
            float[] val = new float[idx.length];
            for (int k = 0; k < idx.length; k++) {
                val[k] = (float) rnd.nextGaussian();
            }
            rows.add(new SparseVector(idx, val));
            labels[r] = rnd.nextInt(classes);
            weights[r] = 0.5 + rnd.nextDouble();
        }
        FeatureMatrix m = FeatureMatrix.of(rows, buckets);
        SoftmaxObjective f = new SoftmaxObjective(m, labels, weights, classes, 0.7);
        double[] x = new double[f.dimension()];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextGaussian();
        }
        double[] g = new double[x.length];
        f.valueAndGradient(x, g);
        double[] scratch = new double[x.length];
        double h = 1e-6;
        for (int i = 0; i < x.length; i++) {
            double keep = x[i];
            x[i] = keep + h;
            double up = f.valueAndGradient(x, scratch);
            x[i] = keep - h;
            double down = f.valueAndGradient(x, scratch);
            x[i] = keep;
            assertEquals((up - down) / (2 * h), g[i], 1e-6, "d f / d x[" + i + "]");
        }
    }

    @Test
    void atZeroTheLossIsLogOfTheClassCount() {
        FeatureMatrix m = FeatureMatrix.of(List.of(new SparseVector(new int[] {3}, new float[] {1f})), 8);
        SoftmaxObjective f = new SoftmaxObjective(m, new int[] {2}, new double[] {5}, 6, 1);
        assertEquals(Math.log(6), f.valueAndGradient(new double[f.dimension()], new double[f.dimension()]), 1e-12);
    }
}
