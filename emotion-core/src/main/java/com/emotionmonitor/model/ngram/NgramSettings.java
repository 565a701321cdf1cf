package com.emotionmonitor.model.ngram;

/**
 * How posts become n-gram features; saved in the model file header because serving must featurize
 * exactly as training did.
 *
 * @param hashBits n-grams are hashed into {@code 2^hashBits} buckets (18 keeps the model a few MB)
 * @param minOrder shortest n-gram, in tokens (1 = single characters)
 * @param maxOrder longest n-gram, in tokens
 * @param boundaryMarkers when true, [CLS] and [SEP] take part in n-grams of order 2 and more, so
 *     "starts with X" and "ends with X" become features (never as unigrams: they occur in every post)
 * @param signedHash when true, each n-gram adds +x or -x to its bucket, chosen by a hash bit, so that
 *     collisions cancel in expectation instead of biasing the bucket
 * @param minDf buckets seen in fewer training posts than this are ignored (1 = keep all seen buckets)
 */
public record NgramSettings(int hashBits, int minOrder, int maxOrder, boolean boundaryMarkers, boolean signedHash, int minDf) {

    public static final int MIN_HASH_BITS = 4;
    public static final int MAX_HASH_BITS = 24;
    public static final int MAX_ORDER = 5;

    /**
     * Character 1-3-grams in 2^18 signed buckets, no boundary markers, buckets of a single training post
     * dropped (fewer collisions with noise; chosen on usual_eval, see NgramCommand).
     */
    public static NgramSettings defaults() {
        return new NgramSettings(18, 1, 3, false, true, 2);
    }

    public NgramSettings {
        if (hashBits < MIN_HASH_BITS || hashBits > MAX_HASH_BITS) {
            throw new IllegalArgumentException("hashBits must be in [" + MIN_HASH_BITS + ", " + MAX_HASH_BITS + "]: " + hashBits);
        }
        if (minOrder < 1 || maxOrder < minOrder || maxOrder > MAX_ORDER) {
            throw new IllegalArgumentException("n-gram orders must satisfy 1 <= min <= max <= " + MAX_ORDER + ": "
                    + minOrder + ".." + maxOrder);
        }
        if (minDf < 1) {
            throw new IllegalArgumentException("minDf must be >= 1: " + minDf);
        }
    }

    public int buckets() {
        return 1 << hashBits;
    }

    public NgramSettings withHashBits(int bits) {
        return new NgramSettings(bits, minOrder, maxOrder, boundaryMarkers, signedHash, minDf);
    }
}
