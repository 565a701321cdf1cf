package com.emotionmonitor.job.model;

/**
 * Which posts a shadow or canary takes: a post is sampled when the murmur3_32 hash (x86 variant, seed 0) of its id's
 * UTF-8 bytes, read unsigned and divided by 2^32, is below the fraction. A pure function of the id, so every subtask,
 * every restart and every restore decides the same way for the same post, and a fraction raised later (10% -> 25%)
 * keeps the posts it had. Murmur3 rather than FNV-1a: its finalizer spreads sequential ids ({@code post-1},
 * {@code post-2}, ...) over the whole range, and the top bits (the ones that decide a fraction) of FNV-1a barely
 * depend on an id's last character. The same function as Guava's {@code Hashing.murmur3_32_fixed()}.
 *
 * <p>Allocation-free: the id's UTF-8 bytes are produced on the fly, four at a time.
 */
public final class RolloutSampling {

    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;

    private RolloutSampling() {}

    /** Whether the post with this id is among the {@code fraction} of posts a rollout takes. */
    public static boolean sampled(String postId, double fraction) {
        return fraction >= 1 || unit(postId) < fraction;
    }

    /** The id's place in [0, 1): murmur3_32 of its UTF-8 bytes / 2^32. */
    public static double unit(String postId) {
        return (murmur3(postId) & 0xffffffffL) / 4294967296.0;
    }

    /** murmur3_32 (x86, seed 0) of the UTF-8 encoding of {@code s} (unpaired surrogates encoded as '?', as String.getBytes does). */
    static int murmur3(String s) {
        int h = 0;
        int block = 0;
        int filled = 0; // bytes in block
        int length = 0; // bytes in total
        for (int i = 0; i < s.length(); i++) {
            int c = s.charAt(i);
            int cp = c;
            if (Character.isHighSurrogate((char) c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                cp = Character.toCodePoint((char) c, s.charAt(++i));
            } else if (Character.isSurrogate((char) c)) {
                cp = '?';
            }
            int bytes;
            int encoded; // up to four bytes, first byte lowest
            if (cp < 0x80) {
                bytes = 1;
                encoded = cp;
            } else if (cp < 0x800) {
                bytes = 2;
                encoded = (0xc0 | (cp >>> 6)) | (0x80 | (cp & 0x3f)) << 8;
            } else if (cp < 0x10000) {
                bytes = 3;
                encoded = (0xe0 | (cp >>> 12)) | (0x80 | ((cp >>> 6) & 0x3f)) << 8 | (0x80 | (cp & 0x3f)) << 16;
            } else {
                bytes = 4;
                encoded = (0xf0 | (cp >>> 18)) | (0x80 | ((cp >>> 12) & 0x3f)) << 8 | (0x80 | ((cp >>> 6) & 0x3f)) << 16
                        | (0x80 | (cp & 0x3f)) << 24;
            }
            for (int b = 0; b < bytes; b++) {
                block |= ((encoded >>> (8 * b)) & 0xff) << (8 * filled);
                length++;
                if (++filled == 4) {
                    h ^= mixK(block);
                    h = Integer.rotateLeft(h, 13) * 5 + 0xe6546b64;
                    block = 0;
                    filled = 0;
                }
            }
        }
        if (filled > 0) {
            h ^= mixK(block);
        }
        h ^= length;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    private static int mixK(int k) {
        k *= C1;
        k = Integer.rotateLeft(k, 15);
        return k * C2;
    }
}
