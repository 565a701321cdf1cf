package com.emotionmonitor.serving;

import com.emotionmonitor.model.BatchPredictor;
import com.emotionmonitor.model.Prediction;

import com.emotionmonitor.text.Encoding;
import java.util.ArrayList;
import java.util.List;

/**
 * Mixes two predictors' probabilities on the same batch: {@code (1 - w) * first + w * second}. The BERT
 * and the character n-gram model make different errors, so the mix beats either alone.
 */
public final class EnsemblePredictor implements BatchPredictor {

    private final BatchPredictor first;
    private final BatchPredictor second;
    private final double secondWeight;

    public EnsemblePredictor(BatchPredictor first, BatchPredictor second, double secondWeight) {
        if (secondWeight < 0 || secondWeight > 1) {
            throw new IllegalArgumentException("mixing weight must be in [0, 1]: " + secondWeight);
        }
        this.first = first;
        this.second = second;
        this.secondWeight = secondWeight;
    }

    @Override
    public List<Prediction> predict(List<Encoding> batch) {
        List<Prediction> a = first.predict(batch);
        List<Prediction> b = second.predict(batch);
        return mix(a, b, secondWeight);
    }

    public static List<Prediction> mix(List<Prediction> a, List<Prediction> b, double w) {
        List<Prediction> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            float[] pa = a.get(i).probabilities();
            float[] pb = b.get(i).probabilities();
            float[] p = new float[pa.length];
            for (int k = 0; k < p.length; k++) {
                p[k] = (float) ((1 - w) * pa[k] + w * pb[k]);
            }
            out.add(Prediction.fromProbabilities(p));
        }
        return out;
    }
}
