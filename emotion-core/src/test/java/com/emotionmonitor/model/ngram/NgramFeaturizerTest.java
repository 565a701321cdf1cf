package com.emotionmonitor.model.ngram;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.data.CannedPosts;
import com.emotionmonitor.text.Encoding;
import com.emotionmonitor.text.PostPreprocessor;
import com.emotionmonitor.text.TextPipeline;
import com.emotionmonitor.text.VocabularyBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class NgramFeaturizerTest {

    /** The canned posts through the real text pipeline, over a vocabulary built from them. */
    private static final List<Encoding> ENCODINGS = encodings();

    private static List<Encoding> encodings() {
        VocabularyBuilder vb = new VocabularyBuilder();
        PostPreprocessor pre = PostPreprocessor.standard();
        CannedPosts.POSTS.forEach(p -> vb.add(pre.prepare(p.content()).text()));
        TextPipeline pipeline = TextPipeline.standard(vb.build(1, 1000, 0));
        return CannedPosts.POSTS.stream().map(p -> pipeline.prepare(p.content()).encoding()).toList();
    }

    private static final int CLS = 2;
    private static final int SEP = 3;
    /** Values of hash version 1: saved models depend on them. */
    private static final long PINNED_UNIGRAM_7 = 0x7bc05c0b9f697f95L;
    private static final long PINNED_TRIGRAM_7_8_9 = 0x95a659c28cbfd687L;

    private static Encoding post(int... content) {
        int[] ids = new int[content.length + 2];
        ids[0] = CLS;
        System.arraycopy(content, 0, ids, 1, content.length);
        ids[ids.length - 1] = SEP;
        return new Encoding(ids);
    }

    @Test
    void fittingAndFeaturizingAreDeterministic() {
        List<Encoding> posts = ENCODINGS;
        NgramFeaturizer a = NgramFeaturizer.fit(NgramSettings.defaults(), posts);
        NgramFeaturizer b = NgramFeaturizer.fit(NgramSettings.defaults(), posts);
        assertArrayEquals(a.idfTable(), b.idfTable());
        for (Encoding p : posts) {
            SparseVector x = a.featurize(p);
            SparseVector y = b.featurize(new Encoding(p.ids().clone()));
            assertArrayEquals(x.indices(), y.indices());
            assertArrayEquals(x.values(), y.values());
        }
        // Pinned hash values: a change of the hash function must bump NgramHash.VERSION (saved models use it).
        assertEquals(1, NgramHash.VERSION);
        assertEquals(NgramHash.of(new int[] {10, 11, 12}, 0, 3), NgramHash.of(new int[] {9, 10, 11, 12}, 1, 3));
        assertNotEquals(NgramHash.of(new int[] {10, 11}, 0, 2), NgramHash.of(new int[] {11, 10}, 0, 2));
        assertEquals(PINNED_UNIGRAM_7, NgramHash.of(new int[] {7}, 0, 1));
        assertEquals(PINNED_TRIGRAM_7_8_9, NgramHash.of(new int[] {7, 8, 9}, 0, 3));
    }

    @Test
    void vectorsAreL2NormalisedWithIncreasingIndices() {
        NgramFeaturizer f = NgramFeaturizer.fit(NgramSettings.defaults(), ENCODINGS);
        boolean sawNegative = false;
        for (Encoding p : ENCODINGS) {
            SparseVector x = f.featurize(p);
            assertTrue(x.size() > 0);
            assertEquals(1.0, x.norm(), 1e-5);
            for (int i = 1; i < x.size(); i++) {
                assertTrue(x.indices()[i] > x.indices()[i - 1], "indices must be strictly increasing");
            }
            for (float v : x.values()) {
                sawNegative |= v < 0;
            }
        }
        assertTrue(sawNegative, "a signed hash gives about half the n-grams a negative sign");
    }

    @Test
    void termFrequencyIsSublinearAndIdfFavoursRareNgrams() {
        NgramSettings unigrams = new NgramSettings(20, 1, 1, false, false, 1);
        // id 5 occurs in every post, 7 and 8 in one post each.
        NgramFeaturizer f = NgramFeaturizer.fit(unigrams, List.of(post(5, 7), post(5, 8), post(5)));
        SparseVector x = f.featurize(post(7, 7, 7, 8));
        assertEquals(2, x.size());
        float v7 = valueOf(x, bucket(unigrams, 7));
        float v8 = valueOf(x, bucket(unigrams, 8));
        assertEquals(1 + Math.log(3), v7 / v8, 1e-5, "tf 3 counts 1 + ln 3 times tf 1 (equal IDF)");
        SparseVector y = f.featurize(post(5, 7));
        assertTrue(valueOf(y, bucket(unigrams, 7)) > valueOf(y, bucket(unigrams, 5)), "the rarer n-gram weighs more");
        double idf5 = Math.log(4.0 / 4.0) + 1;
        double idf7 = Math.log(4.0 / 2.0) + 1;
        assertEquals(idf7 / idf5, valueOf(y, bucket(unigrams, 7)) / valueOf(y, bucket(unigrams, 5)), 1e-5);
    }

    @Test
    void unseenNgramsAndEmptyPostsGiveEmptyVectors() {
        NgramFeaturizer f = NgramFeaturizer.fit(new NgramSettings(18, 1, 3, false, true, 1), List.of(post(5, 6, 7)));
        assertSame(SparseVector.EMPTY, f.featurize(post()));
        assertSame(SparseVector.EMPTY, f.featurize(post(100, 101)));
        SparseVector mixed = f.featurize(post(5, 100));
        assertEquals(1, mixed.size(), "only the seen unigram 5 counts");
        assertEquals(1.0, mixed.norm(), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> f.featurize(new Encoding(new int[] {CLS})));
    }

    @Test
    void ngramCountsFollowOrdersAndBoundaryMarkers() {
        int[] ids = post(5, 6, 7, 8).ids();
        assertEquals(4 + 3 + 2, NgramFeaturizer.hashes(new NgramSettings(18, 1, 3, false, true, 1), ids).length);
        assertEquals(4 + 5 + 4, NgramFeaturizer.hashes(new NgramSettings(18, 1, 3, true, true, 1), ids).length);
        assertEquals(5 + 4, NgramFeaturizer.hashes(new NgramSettings(18, 2, 3, true, true, 1), ids).length);
        assertEquals(0, NgramFeaturizer.hashes(new NgramSettings(18, 1, 3, true, true, 1), post().ids()).length,
                "markers alone never form an n-gram");
        assertEquals(1 + 2 + 1, NgramFeaturizer.hashes(new NgramSettings(18, 1, 3, true, true, 1), post(5).ids()).length);
    }

    @Test
    void minDfDropsRareBuckets() {
        NgramSettings s = new NgramSettings(20, 1, 1, false, false, 2);
        NgramFeaturizer f = NgramFeaturizer.fit(s, List.of(post(5, 7), post(5, 8)));
        assertEquals(1, f.activeBuckets());
        assertEquals(1, f.featurize(post(5, 7, 8)).size());
    }

    private static int bucket(NgramSettings s, int id) {
        return NgramHash.bucket(NgramHash.of(new int[] {id}, 0, 1), s.hashBits());
    }

    private static float valueOf(SparseVector x, int bucket) {
        for (int i = 0; i < x.size(); i++) {
            if (x.indices()[i] == bucket) {
                return x.values()[i];
            }
        }
        throw new AssertionError("bucket " + bucket + " not in " + java.util.Arrays.toString(x.indices()));
    }
}
