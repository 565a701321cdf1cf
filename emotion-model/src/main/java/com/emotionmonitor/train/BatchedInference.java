package com.emotionmonitor.train;

import com.emotionmonitor.model.BatchPredictor;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.text.Encoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Classifies a whole data set offline: sorted by length and cut by a padded-token budget, so evaluation
 * wastes little on padding; results come back in input order.
 */
public final class BatchedInference {

    private BatchedInference() {}

    public static List<Prediction> predictAll(BatchPredictor predictor, List<Encoding> encodings, int maxTokens, int maxBatch) {
        Integer[] order = new Integer[encodings.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> encodings.get(i).length()));
        Prediction[] out = new Prediction[encodings.size()];
        List<Integer> batch = new ArrayList<>();
        for (int k = 0; k <= order.length; k++) {
            boolean flush = k == order.length;
            if (!flush) {
                int len = encodings.get(order[k]).length();
                flush = !batch.isEmpty() && (batch.size() >= maxBatch || (long) len * (batch.size() + 1) > maxTokens);
            }
            if (flush && !batch.isEmpty()) {
                List<Prediction> preds = predictor.predict(batch.stream().map(encodings::get).toList());
                for (int j = 0; j < batch.size(); j++) {
                    out[batch.get(j)] = preds.get(j);
                }
                batch.clear();
            }
            if (k < order.length) {
                batch.add(order[k]);
            }
        }
        return Arrays.asList(out);
    }
}
