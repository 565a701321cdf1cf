package com.emotionmonitor.model.ngram;

import com.emotionmonitor.text.Encoding;
import java.util.Arrays;
import java.util.List;

/**
 * Token-id n-grams -> hashed, sublinear-TF x IDF, L2-normalised sparse vectors. Our tokenizer emits one
 * token per CJK character, punctuation mark and emoji, so these are character n-grams.
 *
 * <p>Per post: every n-gram of the configured orders over the ids between [CLS] and [SEP] (with the two
 * markers when {@link NgramSettings#boundaryMarkers()}) is hashed to 64 bits; equal hashes are counted
 * (tf); each distinct n-gram contributes {@code sign * (1 + ln tf) * idf[bucket]} to its bucket; the
 * vector is L2-normalised. IDF is sklearn's smooth form {@code ln((1 + N) / (1 + df)) + 1} over the
 * training posts, with df counted per bucket. Buckets no training post reached have IDF 0 and are
 * skipped, as a fitted vocabulary ignores unseen terms, so they do not dilute the norm.
 *
 * <p>Immutable and thread-safe; the result depends on nothing but the settings, the IDF table and the ids.
 */
public final class NgramFeaturizer {

    private final NgramSettings settings;
    private final float[] idf;

    public NgramFeaturizer(NgramSettings settings, float[] idf) {
        if (idf.length != settings.buckets()) {
            throw new IllegalArgumentException("IDF table has " + idf.length + " entries, settings need " + settings.buckets());
        }
        this.settings = settings;
        this.idf = idf;
    }

    /** Fits the IDF table on training posts. */
    public static NgramFeaturizer fit(NgramSettings settings, List<Encoding> posts) {
        int[] df = new int[settings.buckets()];
        for (Encoding post : posts) {
            long[] hashes = hashes(settings, post.ids());
            int[] buckets = new int[hashes.length];
            for (int i = 0; i < hashes.length; i++) {
                buckets[i] = NgramHash.bucket(hashes[i], settings.hashBits());
            }
            Arrays.sort(buckets);
            for (int i = 0; i < buckets.length; i++) {
                if (i == 0 || buckets[i] != buckets[i - 1]) {
                    df[buckets[i]]++;
                }
            }
        }
        float[] idf = new float[df.length];
        double n = posts.size();
        for (int b = 0; b < df.length; b++) {
            if (df[b] > 0 && df[b] >= settings.minDf()) {
                idf[b] = (float) (Math.log((1 + n) / (1 + df[b])) + 1);
            }
        }
        return new NgramFeaturizer(settings, idf);
    }

    public NgramSettings settings() {
        return settings;
    }

    /** Buckets with a non-zero IDF: those a training post reached (and kept by minDf). */
    public int activeBuckets() {
        int n = 0;
        for (float v : idf) {
            if (v != 0f) {
                n++;
            }
        }
        return n;
    }

    /** The IDF table, shared, for the model file writer: callers must not modify it. */
    public float[] idfTable() {
        return idf;
    }

    /** The post's features; empty for a post without any known n-gram. */
    public SparseVector featurize(Encoding post) {
        long[] hashes = hashes(settings, post.ids());
        if (hashes.length == 0) {
            return SparseVector.EMPTY;
        }
        Arrays.sort(hashes);
        // One (bucket, value) pair per distinct n-gram; the key packs the bucket above the pair index so
        // sorting the keys groups each bucket's contributions.
        long[] keys = new long[hashes.length];
        float[] contributions = new float[hashes.length];
        int pairs = 0;
        int run = 1;
        for (int i = 0; i < hashes.length; i++) {
            if (i + 1 < hashes.length && hashes[i + 1] == hashes[i]) {
                run++;
                continue;
            }
            int bucket = NgramHash.bucket(hashes[i], settings.hashBits());
            float weight = idf[bucket];
            if (weight != 0f) {
                float tf = run == 1 ? 1f : (float) (1 + Math.log(run));
                float sign = settings.signedHash() ? NgramHash.sign(hashes[i]) : 1f;
                keys[pairs] = ((long) bucket << 32) | pairs;
                contributions[pairs] = sign * tf * weight;
                pairs++;
            }
            run = 1;
        }
        Arrays.sort(keys, 0, pairs);
        int[] indices = new int[pairs];
        float[] values = new float[pairs];
        int n = 0;
        double sumSquares = 0;
        for (int i = 0; i < pairs; ) {
            int bucket = (int) (keys[i] >>> 32);
            float sum = 0f;
            for (; i < pairs && (int) (keys[i] >>> 32) == bucket; i++) {
                sum += contributions[(int) keys[i]];
            }
            if (sum != 0f) { // opposite signs may cancel exactly
                indices[n] = bucket;
                values[n] = sum;
                sumSquares += (double) sum * sum;
                n++;
            }
        }
        if (n == 0) {
            return SparseVector.EMPTY;
        }
        float scale = (float) (1 / Math.sqrt(sumSquares));
        for (int i = 0; i < n; i++) {
            values[i] *= scale;
        }
        return new SparseVector(Arrays.copyOf(indices, n), Arrays.copyOf(values, n));
    }

    /**
     * 64-bit hashes of every n-gram of the configured orders, unsorted, with repeats. Without boundary
     * markers the window is the ids between [CLS] and [SEP]; with them it is the whole encoding, but
     * markers never form an n-gram on their own (a lone [CLS] or the empty post's [CLS][SEP]).
     */
    static long[] hashes(NgramSettings settings, int[] ids) {
        if (ids.length < 2) {
            throw new IllegalArgumentException("an encoding is [CLS] ... [SEP]: got " + ids.length + " id(s)");
        }
        int contentStart = 1;
        int contentEnd = ids.length - 1; // exclusive
        int content = contentEnd - contentStart;
        int count = 0;
        for (int order = settings.minOrder(); order <= settings.maxOrder(); order++) {
            count += windows(settings, order, content);
        }
        long[] out = new long[count];
        int k = 0;
        for (int order = settings.minOrder(); order <= settings.maxOrder(); order++) {
            boolean marked = settings.boundaryMarkers() && order >= 2 && content > 0;
            int from = marked ? contentStart - 1 : contentStart;
            int to = marked ? contentEnd + 1 : contentEnd; // exclusive end of the window span
            for (int s = from; s + order <= to; s++) {
                out[k++] = NgramHash.of(ids, s, order);
            }
        }
        return out;
    }

    private static int windows(NgramSettings settings, int order, int content) {
        boolean marked = settings.boundaryMarkers() && order >= 2 && content > 0;
        int span = marked ? content + 2 : content;
        return Math.max(0, span - order + 1);
    }
}
