package com.emotionmonitor.train;

import com.emotionmonitor.model.BatchPredictor;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.serving.TokenBudgetBatches;
import com.emotionmonitor.text.Encoding;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * Classifies a whole data set offline: sorted by length and cut by a padded-token budget, so evaluation
 * wastes little on padding; results come back in input order.
 */
public final class BatchedInference {

    private BatchedInference() {}

    public static List<Prediction> predictAll(BatchPredictor predictor, List<Encoding> encodings, int maxTokens, int maxBatch) {
        IntUnaryOperator length = i -> encodings.get(i).length();
        int[] sorted = TokenBudgetBatches.sortedByLength(encodings.size(), length);
        Prediction[] out = new Prediction[encodings.size()];
        for (int[] batch : TokenBudgetBatches.cut(sorted, length, maxTokens, maxBatch)) {
            List<Prediction> preds = predictor.predict(Arrays.stream(batch).mapToObj(encodings::get).toList());
            for (int j = 0; j < batch.length; j++) {
                out[batch[j]] = preds.get(j);
            }
        }
        return Arrays.asList(out);
    }
}
