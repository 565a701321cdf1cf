package com.emotionmonitor.train.ngram;

import com.emotionmonitor.model.ngram.WeightFormat;
import com.emotionmonitor.model.ngram.NgramClassifier;
import com.emotionmonitor.model.ngram.NgramSettings;
import com.emotionmonitor.model.ngram.VocabularyStamp;

import com.emotionmonitor.train.ngram.NgramTrainer;
import com.emotionmonitor.train.ngram.NgramTrainingConfig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.model.Emotion;
import com.emotionmonitor.model.ModelLoadException;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.text.Encoding;
import com.emotionmonitor.text.Vocabulary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NgramClassifierTest {

    private static final NgramTrainer.Result F32 = TinyData.train(NgramSettings.defaults(), NgramTrainingConfig.defaults());

    @Test
    void learnsTheTinySetPerfectly() {
        NgramClassifier model = F32.classifier();
        List<Prediction> predictions = model.predict(TinyData.POSTS.encodings());
        assertEquals(36, predictions.size());
        for (int i = 0; i < predictions.size(); i++) {
            assertEquals(TinyData.label(i), predictions.get(i).emotion(), "post " + i);
            float sum = 0;
            for (float p : predictions.get(i).probabilities()) {
                sum += p;
            }
            assertEquals(1f, sum, 1e-5);
        }
        assertEquals(1.0, TinyData.POSTS.evaluate(model).accuracy(), 1e-12);
        assertEquals("gradient", F32.stop(), "a 36-post problem converges to the tolerance");
    }

    @Test
    void strongerRegularisationGivesLessConfidentPredictions() {
        NgramClassifier weak = TinyData.train(NgramSettings.defaults(), NgramTrainingConfig.defaults().withC(0.01)).classifier();
        Encoding post = TinyData.POSTS.encodings().get(0);
        assertTrue(weak.probabilities(post)[TinyData.label(0).ordinal()] < F32.classifier().probabilities(post)[TinyData.label(0).ordinal()]);
    }

    @Test
    void savedAndLoadedModelsPredictIdentically(@TempDir Path dir) throws Exception {
        Path file = F32.classifier().save(dir.resolve("f32"));
        assertEquals(NgramClassifier.FILE_NAME, file.getFileName().toString());
        NgramClassifier loaded = NgramClassifier.load(dir.resolve("f32"));
        assertEquals(F32.classifier().settings(), loaded.settings());
        assertEquals(F32.classifier().vocabulary(), loaded.vocabulary());
        assertSameProbabilities(F32.classifier(), loaded);

        NgramTrainingConfig half = NgramTrainingConfig.defaults().withFormat(WeightFormat.F16);
        NgramClassifier f16 = TinyData.train(NgramSettings.defaults(), half).classifier();
        Path halfFile = f16.save(dir.resolve("f16"));
        NgramClassifier f16Loaded = NgramClassifier.load(dir.resolve("f16"));
        assertEquals(WeightFormat.F16, f16Loaded.format());
        assertSameProbabilities(f16, f16Loaded);
        assertTrue(Files.size(halfFile) < 0.55 * Files.size(file), "float16 halves the file");
        assertEquals(1.0, TinyData.POSTS.evaluate(f16Loaded).accuracy(), 1e-12);
    }

    @Test
    void aCorruptedFileIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
        Path file = F32.classifier().save(dir);
        byte[] good = Files.readAllBytes(file);

        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x10; // inside the weights: only the checksum can notice
        Files.write(file, flipped);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> NgramClassifier.load(dir));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("CRC32"), e.getMessage());

        Files.write(file, Arrays.copyOf(good, good.length - 1000));
        e = assertThrows(ModelLoadException.class, () -> NgramClassifier.load(dir));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("truncated"), e.getMessage());

        Files.write(file, Arrays.copyOf(good, 30));
        e = assertThrows(ModelLoadException.class, () -> NgramClassifier.load(dir));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        byte[] otherMagic = good.clone();
        otherMagic[0] = 'X';
        Files.write(file, otherMagic);
        e = assertThrows(ModelLoadException.class, () -> NgramClassifier.load(dir));
        assertTrue(e.getMessage().contains("not an n-gram model"), e.getMessage());

        byte[] badBits = good.clone();
        badBits[16] = 30; // hashBits, little-endian int at offset 16
        Files.write(file, badBits);
        e = assertThrows(ModelLoadException.class, () -> NgramClassifier.load(dir));
        assertTrue(e.getMessage().contains("invalid header"), e.getMessage());

        Files.delete(file);
        e = assertThrows(ModelLoadException.class, () -> NgramClassifier.load(dir));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());

        Files.write(file, good);
        assertSameProbabilities(F32.classifier(), NgramClassifier.load(dir));
    }

    @Test
    void refusesAnotherVocabulary() {
        F32.classifier().requireVocabulary(TinyData.VOCAB);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < TinyData.VOCAB.size(); i++) {
            tokens.add(TinyData.VOCAB.token(i));
        }
        String last = tokens.remove(tokens.size() - 1);
        tokens.add(tokens.size() - 1, last); // same tokens, two ids swapped
        Vocabulary swapped = Vocabulary.of(tokens);
        assertNotEquals(VocabularyStamp.of(TinyData.VOCAB), VocabularyStamp.of(swapped));
        assertThrows(ModelLoadException.class, () -> F32.classifier().requireVocabulary(swapped));
    }

    @Test
    void aModelOverOtherClassesKeepsTheirNamesAndServesNoEmotions(@TempDir Path dir) throws Exception {
        int[] domain = new int[TinyData.POSTS.size()];
        Arrays.fill(domain, domain.length / 2, domain.length, 1); // happy/angry/sad posts vs fear/surprise/neutral
        NgramClassifier gate = new NgramTrainer(NgramSettings.defaults(), NgramTrainingConfig.defaults())
                .train(TinyData.POSTS.encodings(), domain, List.of("first", "second"), VocabularyStamp.of(TinyData.VOCAB), null)
                .classifier();
        NgramClassifier loaded = NgramClassifier.read(gate.write(dir.resolve("gate.bin")));
        assertEquals(List.of("first", "second"), loaded.labels());
        for (int i = 0; i < domain.length; i++) {
            float[] p = loaded.probabilities(TinyData.POSTS.encodings().get(i));
            assertArrayEquals(gate.probabilities(TinyData.POSTS.encodings().get(i)), p);
            assertEquals(domain[i], p[1] > p[0] ? 1 : 0, "post " + i + " is on its side");
        }
        assertThrows(IllegalStateException.class, () -> loaded.predict(TinyData.POSTS.encodings()));
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> loaded.requireLabels(NgramClassifier.emotionLabels(), "the gate"));
        assertTrue(e.getMessage().contains("the gate") && e.getMessage().contains("[first, second]"), e.getMessage());
        F32.classifier().requireLabels(NgramClassifier.emotionLabels(), "the emotion model");
        assertThrows(IllegalArgumentException.class, () -> new NgramTrainer(NgramSettings.defaults(), NgramTrainingConfig.defaults())
                .train(TinyData.POSTS.encodings(), new int[TinyData.POSTS.size()], List.of("only"), VocabularyStamp.of(TinyData.VOCAB),
                        null));
        assertThrows(IllegalArgumentException.class, () -> new NgramTrainer(NgramSettings.defaults(), NgramTrainingConfig.defaults())
                .train(TinyData.POSTS.encodings(), domain, List.of("a,b", "c"), VocabularyStamp.of(TinyData.VOCAB), null));
    }

    @Test
    void balancedWeightsFavourRareClassesAndAverageOne() {
        int[] y = new int[100];
        Arrays.fill(y, 0, 90, Emotion.ANGRY.ordinal());
        Arrays.fill(y, 90, 100, Emotion.FEAR.ordinal());
        double[] w = NgramTrainer.sampleWeights(y, Emotion.count(), true);
        assertEquals(100 / (2.0 * 90), w[0], 1e-12);
        assertEquals(100 / (2.0 * 10), w[99], 1e-12);
        assertEquals(100, Arrays.stream(w).sum(), 1e-9);
        assertArrayEquals(new double[] {1, 1}, NgramTrainer.sampleWeights(new int[] {0, 0}, Emotion.count(), false));
    }

    private static void assertSameProbabilities(NgramClassifier expected, NgramClassifier actual) {
        List<Prediction> a = expected.predict(TinyData.POSTS.encodings());
        List<Prediction> b = actual.predict(TinyData.POSTS.encodings());
        assertEquals(a, b, "Prediction.equals compares the probability arrays exactly");
    }
}
