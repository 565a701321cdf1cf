package com.emotionmonitor.model.ngram;

/**
 * A fixed 64-bit hash of a token-id n-gram. It is part of the model file format (changing it silently
 * scrambles every saved model), hence {@link #VERSION} in the file header. The order is mixed in, so a
 * unigram never shares a hash with a bigram by construction.
 */
final class NgramHash {

    /** Bump when the function changes; saved models record the version they were trained with. */
    static final int VERSION = 1;

    private static final long SEED = 0x9E3779B97F4A7C15L;

    private NgramHash() {}

    /** Hash of {@code ids[start .. start+order)}. */
    static long of(int[] ids, int start, int order) {
        long h = SEED ^ (order * 0xC2B2AE3D27D4EB4FL);
        for (int i = start; i < start + order; i++) {
            h = mix(h ^ (ids[i] & 0xFFFFFFFFL));
        }
        return mix(h + order);
    }

    /** SplitMix64's finaliser: every input bit flips about half the output bits. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The bucket: the low bits. */
    static int bucket(long hash, int hashBits) {
        return (int) (hash & ((1L << hashBits) - 1));
    }

    /** +1 or -1 from the top bit, independent of the bucket bits. */
    static float sign(long hash) {
        return hash < 0 ? -1f : 1f;
    }
}
