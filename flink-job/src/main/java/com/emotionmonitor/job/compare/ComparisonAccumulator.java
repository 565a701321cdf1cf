package com.emotionmonitor.job.compare;

import com.emotionmonitor.schema.Emotion;
import java.util.Arrays;

/**
 * Running comparison of one window, scope and version pair: the 6 x 6 confusion of the two versions' labels and the
 * posts where they disagree most confidently; never the posts themselves. A Flink POJO.
 */
public class ComparisonAccumulator {

    static final int CLASSES = Emotion.values().length;

    public String scope;
    public String servingModel;
    public String servingVersion;
    public String shadowModel;
    public String shadowVersion;
    /** {@code confusion[serving * 6 + shadow]}. */
    public long[] confusion = new long[CLASSES * CLASSES];
    /**
     * At most {@code maxExamples} disagreements, most confident first: their ids, their rank (the lower of the two
     * confidences: both versions sure, yet different), and both labels. Ties keep the earlier post.
     */
    public String[] disagreementIds = new String[0];
    public float[] disagreementRanks = new float[0];
    public int[] servingEmotions = new int[0];
    public float[] servingConfidences = new float[0];
    public int[] shadowEmotions = new int[0];
    public float[] shadowConfidences = new float[0];

    public long compared() {
        long n = 0;
        for (long c : confusion) {
            n += c;
        }
        return n;
    }

    public long agreed() {
        long n = 0;
        for (int i = 0; i < CLASSES; i++) {
            n += confusion[i * CLASSES + i];
        }
        return n;
    }

    void add(ScopedComparison c, int maxExamples) {
        if (scope == null) {
            scope = c.scope;
            servingModel = c.servingModel;
            servingVersion = c.servingVersion;
            shadowModel = c.shadowModel;
            shadowVersion = c.shadowVersion;
        }
        confusion[c.servingEmotion * CLASSES + c.shadowEmotion]++;
        if (c.servingEmotion != c.shadowEmotion) {
            offer(c.postId, Math.min(c.servingConfidence, c.shadowConfidence), c.servingEmotion, c.servingConfidence,
                    c.shadowEmotion, c.shadowConfidence, maxExamples);
        }
    }

    ComparisonAccumulator merge(ComparisonAccumulator other, int maxExamples) {
        if (scope == null) {
            scope = other.scope;
            servingModel = other.servingModel;
            servingVersion = other.servingVersion;
            shadowModel = other.shadowModel;
            shadowVersion = other.shadowVersion;
        }
        for (int i = 0; i < confusion.length; i++) {
            confusion[i] += other.confusion[i];
        }
        for (int k = 0; k < other.disagreementIds.length; k++) {
            offer(other.disagreementIds[k], other.disagreementRanks[k], other.servingEmotions[k], other.servingConfidences[k],
                    other.shadowEmotions[k], other.shadowConfidences[k], maxExamples);
        }
        return this;
    }

    /** Inserts the disagreement by rank (after equal ranks) if it is among the best {@code max}. */
    private void offer(String id, float rank, int servingEmotion, float servingConfidence, int shadowEmotion,
                       float shadowConfidence, int max) {
        int at = 0;
        while (at < disagreementRanks.length && disagreementRanks[at] >= rank) {
            at++;
        }
        if (at >= max) {
            return;
        }
        int size = Math.min(disagreementRanks.length + 1, max);
        disagreementIds = insert(disagreementIds, at, id, size);
        disagreementRanks = insert(disagreementRanks, at, rank, size);
        servingEmotions = insert(servingEmotions, at, servingEmotion, size);
        servingConfidences = insert(servingConfidences, at, servingConfidence, size);
        shadowEmotions = insert(shadowEmotions, at, shadowEmotion, size);
        shadowConfidences = insert(shadowConfidences, at, shadowConfidence, size);
    }

    private static String[] insert(String[] a, int at, String v, int size) {
        String[] out = Arrays.copyOf(a, size);
        System.arraycopy(a, at, out, at + 1, size - at - 1);
        out[at] = v;
        return out;
    }

    private static float[] insert(float[] a, int at, float v, int size) {
        float[] out = Arrays.copyOf(a, size);
        System.arraycopy(a, at, out, at + 1, size - at - 1);
        out[at] = v;
        return out;
    }

    private static int[] insert(int[] a, int at, int v, int size) {
        int[] out = Arrays.copyOf(a, size);
        System.arraycopy(a, at, out, at + 1, size - at - 1);
        out[at] = v;
        return out;
    }
}
