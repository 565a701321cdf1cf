package com.emotionmonitor.train.hf;

import com.emotionmonitor.model.Emotion;
import java.util.Arrays;
import java.util.List;

/**
 * A checkpoint's classifier rows reordered into ours ({@link Emotion} order): the server maps class index to emotion
 * by position, so row {@code e} of the imported head must be the checkpoint's row for emotion {@code e}.
 *
 * @param sourceRow for each of our classes, the checkpoint's output index
 */
record LabelOrder(int[] sourceRow) {

    /** @throws IllegalArgumentException unless the labels are the six emotions, each once, in any order */
    static LabelOrder of(List<String> checkpointLabels) {
        if (checkpointLabels.size() != Emotion.count()) {
            throw new IllegalArgumentException("the checkpoint classifies into " + checkpointLabels.size() + " labels "
                    + checkpointLabels + "; the server needs the six emotions (happy, angry, sad, fear, surprise, neutral)");
        }
        int[] rows = new int[Emotion.count()];
        Arrays.fill(rows, -1);
        for (int i = 0; i < checkpointLabels.size(); i++) {
            Emotion e = HfBertCheckpoint.emotionOf(checkpointLabels.get(i));
            if (e == null) {
                throw new IllegalArgumentException("label '" + checkpointLabels.get(i) + "' (output " + i + ") is none of "
                        + HfBertCheckpoint.LABEL_NAMES.keySet() + ": give the output order with --labels");
            }
            if (rows[e.ordinal()] >= 0) {
                throw new IllegalArgumentException("labels " + checkpointLabels + " name " + e.label() + " twice");
            }
            rows[e.ordinal()] = i;
        }
        return new LabelOrder(rows);
    }

    /** A (K, ...) row-major tensor with K = 6, its rows put in our order. */
    float[] reorderRows(float[] values) {
        int k = sourceRow.length;
        int width = values.length / k;
        float[] out = new float[values.length];
        for (int e = 0; e < k; e++) {
            System.arraycopy(values, sourceRow[e] * width, out, e * width, width);
        }
        return out;
    }
}
