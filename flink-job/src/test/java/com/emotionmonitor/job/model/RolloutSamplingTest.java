package com.emotionmonitor.job.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The post id hash that decides shadow and canary samples: murmur3_32 exactly, stable, and close to its fraction. */
class RolloutSamplingTest {

    @Test
    void isMurmur3OfTheUtf8Bytes() {
        // Published vectors of murmur3_32 (x86, seed 0), then multi-byte UTF-8 (CJK, a surrogate pair).
        assertEquals(0x00000000, RolloutSampling.murmur3(""));
        assertEquals(0x3c2569b2, RolloutSampling.murmur3("a"));
        assertEquals(0x248bfa47, RolloutSampling.murmur3("hello"));
        assertEquals(0x2e4ff723, RolloutSampling.murmur3("The quick brown fox jumps over the lazy dog"));
        assertEquals(0xd40c730f, RolloutSampling.murmur3("微博-4512345678"));
        assertEquals(0x721ce13e, RolloutSampling.murmur3("😀x"));
        // Against a plain implementation over String.getBytes, on random strings of every kind of character.
        Random rnd = new Random(1);
        for (int n = 0; n < 2_000; n++) {
            StringBuilder b = new StringBuilder();
            for (int i = rnd.nextInt(20); i > 0; i--) {
                b.append((char) switch (rnd.nextInt(4)) {
                    case 0 -> 'a' + rnd.nextInt(26);
                    case 1 -> 0x80 + rnd.nextInt(0x780);
                    case 2 -> 0x4e00 + rnd.nextInt(0x5000);
                    default -> 0xd800 + rnd.nextInt(0x800); // surrogates, paired or not
                });
            }
            String s = b.toString();
            assertEquals(bytewise(s.getBytes(StandardCharsets.UTF_8)), RolloutSampling.murmur3(s), s);
        }
    }

    @Test
    void sequentialIdsSplitCloseToTheFractionAndNestAsItGrows() {
        int n = 20_000;
        int at10 = 0;
        int at25 = 0;
        for (int i = 0; i < n; i++) {
            String id = "post-" + i;
            boolean ten = RolloutSampling.sampled(id, 0.10);
            boolean quarter = RolloutSampling.sampled(id, 0.25);
            assertFalse(ten && !quarter, "a post in the 10% sample stays in the 25% one: " + id);
            at10 += ten ? 1 : 0;
            at25 += quarter ? 1 : 0;
            assertTrue(RolloutSampling.sampled(id, 1.0));
            assertEquals(RolloutSampling.sampled(id, 0.25), RolloutSampling.sampled(new String(id.toCharArray()), 0.25),
                    "a function of the id alone");
        }
        // Binomial sd at n = 20,000: 0.2 and 0.3 points; 1 point is several sd.
        assertEquals(0.10, at10 / (double) n, 0.01);
        assertEquals(0.25, at25 / (double) n, 0.01);
    }

    /** murmur3_32 as usually written, over a byte array. */
    private static int bytewise(byte[] data) {
        int h = 0;
        int blocks = data.length / 4;
        for (int i = 0; i < blocks; i++) {
            int k = (data[4 * i] & 0xff) | (data[4 * i + 1] & 0xff) << 8 | (data[4 * i + 2] & 0xff) << 16 | (data[4 * i + 3] & 0xff) << 24;
            h ^= Integer.rotateLeft(k * 0xcc9e2d51, 15) * 0x1b873593;
            h = Integer.rotateLeft(h, 13) * 5 + 0xe6546b64;
        }
        int k = 0;
        for (int i = data.length - 1; i >= 4 * blocks; i--) {
            k = (k << 8) | (data[i] & 0xff);
        }
        if (data.length % 4 != 0) {
            h ^= Integer.rotateLeft(k * 0xcc9e2d51, 15) * 0x1b873593;
        }
        h ^= data.length;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }
}
