package com.emotionmonitor.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.emotionmonitor.text.Encoding;
import java.util.List;

/**
 * Pads a batch of encodings to its longest member and builds the encoder's four inputs in one host
 * buffer each: token ids, segment ids, position ids and the additive attention bias. Every array is
 * created in the given (per-batch) manager, so closing that manager frees the whole batch.
 */
public final class BertInputs {

    /** Added to attention scores of padding: large enough to zero the softmax weight, safe in fp16. */
    public static final float MASKED = -10000f;

    private BertInputs() {}

    /** The longest encoding in the batch: the padded length. */
    public static int paddedLength(List<Encoding> batch) {
        int max = 1;
        for (Encoding e : batch) {
            max = Math.max(max, e.length());
        }
        return max;
    }

    public static NDList of(NDManager manager, List<Encoding> batch, int padId) {
        int b = batch.size();
        int s = paddedLength(batch);
        long[] ids = new long[b * s];
        float[] bias = new float[b * s];
        for (int i = 0; i < b; i++) {
            int[] tokens = batch.get(i).ids();
            for (int j = 0; j < s; j++) {
                boolean real = j < tokens.length;
                ids[i * s + j] = real ? tokens[j] : padId;
                bias[i * s + j] = real ? 0f : MASKED;
            }
        }
        return of(manager, ids, bias, b, s);
    }

    /** Inputs from already padded ids and bias (b x s, row-major). */
    public static NDList of(NDManager manager, long[] ids, float[] bias, int b, int s) {
        NDArray tokenIds = manager.create(ids, new Shape(b, s));
        NDArray segmentIds = manager.zeros(new Shape(b, s), DataType.INT64);
        NDArray positionIds = manager.arange(0, s, 1, DataType.INT64);
        NDArray attentionBias = manager.create(bias, new Shape(b, 1, 1, s));
        return new NDList(tokenIds, segmentIds, positionIds, attentionBias);
    }
}
