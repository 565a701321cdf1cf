package com.emotionmonitor.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.model.nn.BlockWeights;
import com.emotionmonitor.serving.DomainGate;
import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.model.ModelLoadException;
import com.emotionmonitor.store.ModelManifest;
import com.emotionmonitor.model.OfflineDefaults;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.model.ngram.NgramClassifier;
import com.emotionmonitor.model.ngram.NgramSettings;
import com.emotionmonitor.train.ngram.NgramTrainer;
import com.emotionmonitor.train.ngram.NgramTrainingConfig;
import com.emotionmonitor.model.ngram.VocabularyStamp;
import com.emotionmonitor.model.ngram.WeightFormat;
import com.emotionmonitor.text.Encoding;
import com.emotionmonitor.text.TextPipeline;
import com.emotionmonitor.text.Vocabulary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A routed version built from two tiny classifiers and a gate that splits the tiny posts in half. */
class RoutedVersionPublisherTest {

    static {
        OfflineDefaults.apply();
    }

    @TempDir static Path store;
    static Path main;
    static Path expert;
    static Path routed;
    static List<Encoding> posts;
    static NgramClassifier gate;

    @BeforeAll
    static void publishRoutedVersion() throws Exception {
        main = TinyRecipe.trainAndPublish(store, "tiny", "main", 1L);
        expert = TinyRecipe.trainAndPublish(store, "tiny", "expert", 2L);
        Vocabulary vocab = Vocabulary.load(main.resolve(EmotionModel.VOCAB));
        posts = LabeledSet.of("tiny", TinyRecipe.POSTS, TextPipeline.standard(vocab), true).encodings();
        int half = posts.size() / 2; // happy/angry/sad posts are the main domain, fear/surprise/neutral the expert's
        gate = RoutedVersionPublisher.trainGate(posts.subList(0, half), posts.subList(half, posts.size()), List.of("calm", "tense"),
                vocab, NgramSettings.defaults(), NgramTrainingConfig.defaults()).classifier();
        routed = RoutedVersionPublisher.publish(main, expert, gate, 0.5, WeightFormat.F32, store, "tiny", "routed", Map.of("purpose", "test"),
                model -> Map.of("tiny", model.manifest().routing().domains()), "cpu");
    }

    @Test
    void eachPostIsClassifiedByTheModelItsGateChose() {
        try (EmotionModel r = EmotionModel.load(routed, "cpu"); EmotionModel m = EmotionModel.load(main, "cpu");
                EmotionModel e = EmotionModel.load(expert, "cpu")) {
            boolean[] toExpert = r.gate().routes(posts);
            List<Prediction> mixed = r.predict(posts); // one batch holding both domains
            List<Prediction> fromMain = m.predict(posts);
            List<Prediction> fromExpert = e.predict(posts);
            int routedToExpert = 0;
            for (int i = 0; i < posts.size(); i++) {
                assertEquals(i >= posts.size() / 2, toExpert[i], "the gate learned which half post " + i + " is in");
                float[] expected = (toExpert[i] ? fromExpert : fromMain).get(i).probabilities();
                assertArrayEquals(expected, mixed.get(i).probabilities(), 1e-5f, "post " + i);
                routedToExpert += toExpert[i] ? 1 : 0;
            }
            assertEquals(posts.size() / 2, routedToExpert);
            assertTrue(differ(fromMain, fromExpert), "two seeds give two models, so the routing is observable");
            assertEquals(List.of(), r.predict(List.of()));
            List<Encoding> onlyExpert = posts.subList(posts.size() - 3, posts.size());
            assertArrayEquals(fromExpert.get(posts.size() - 1).probabilities(), r.predict(onlyExpert).get(2).probabilities(), 1e-5f);
        }
    }

    @Test
    void theManifestDescribesTheRoutingAndBothSources() {
        ModelManifest m = ArtifactFiles.verify(routed);
        ModelManifest.Routing routing = m.routing();
        assertNotNull(routing);
        assertEquals(List.of("calm", "tense"), routing.domains());
        assertEquals(0.5, routing.threshold());
        assertEquals(RoutedVersionPublisher.EXPERT_WEIGHTS, routing.expertWeights());
        assertEquals(List.of("calm", "tense"), m.metrics().get("tiny"), "the evaluation ran on the staged routed version");
        assertEquals(ArtifactFiles.readManifest(main).metrics(), m.metrics().get("main_only"));
        assertEquals(ArtifactFiles.readManifest(expert).metrics(), m.metrics().get("expert_only"));
        assertTrue(m.files().containsKey(RoutedVersionPublisher.GATE) && m.files().containsKey(RoutedVersionPublisher.EXPERT_WEIGHTS));
        @SuppressWarnings("unchecked")
        Map<String, Object> expertTraining = (Map<String, Object>) m.training().get("expert");
        assertEquals("tiny/expert", expertTraining.get("version"));
        assertEquals(72, m.referenceDistribution().posts(), "the drift reference covers both models' training posts");
        assertEquals(1.0 / 6, m.referenceShares()[3], 1e-6);
    }

    @Test
    void float16StorageHalvesTheWeightsAndIsMeasuredAsStored() throws Exception {
        Path half = RoutedVersionPublisher.publish(main, expert, gate, 0.5, WeightFormat.F16, store, "tiny", "routed-f16",
                Map.of(), model -> Map.of("probe", model.predict(posts).get(0).probabilities()[0]), "cpu");
        ModelManifest m = ArtifactFiles.verify(half);
        assertEquals("f16", m.training().get("weights_format"));
        for (String f : List.of(EmotionModel.WEIGHTS, RoutedVersionPublisher.EXPERT_WEIGHTS)) {
            assertEquals(WeightFormat.F16, BlockWeights.formatOf(half.resolve(f)));
            assertTrue(Files.size(half.resolve(f)) < 0.55 * Files.size(routed.resolve(f)), f);
        }
        try (EmotionModel full = EmotionModel.load(routed, "cpu"); EmotionModel rounded = EmotionModel.load(half, "cpu")) {
            List<Prediction> a = full.predict(posts);
            List<Prediction> b = rounded.predict(posts);
            for (int i = 0; i < posts.size(); i++) {
                assertArrayEquals(a.get(i).probabilities(), b.get(i).probabilities(), 2e-3f, "post " + i);
            }
            assertEquals(((Number) m.metrics().get("probe")).floatValue(), b.get(0).probabilities()[0], 1e-6f,
                    "the metrics were measured on the float16 files");
        }
    }

    @Test
    void aRoutedVersionIsNotRoutedAgain() {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> RoutedVersionPublisher.publish(routed, expert, gate, 0.5, WeightFormat.F32,
                store, "tiny", "twice", Map.of(), model -> Map.of(), "cpu"));
        assertTrue(e.getMessage().contains("routed version already"), e.getMessage());
    }

    @Test
    void anExpertWithAnotherVocabularyIsRefused() throws Exception {
        Path staging = Files.createTempDirectory("other-vocab");
        for (String f : ArtifactFiles.readManifest(expert).files().keySet()) {
            Files.copy(expert.resolve(f), staging.resolve(f));
        }
        Files.writeString(staging.resolve(EmotionModel.VOCAB), "\n", java.nio.file.StandardOpenOption.APPEND);
        Path other = ArtifactFiles.publish(staging, store, ArtifactFiles.readManifest(expert).renamed("tiny", "other-vocab"));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> RoutedVersionPublisher.publish(main, other, gate, 0.5, WeightFormat.F32,
                store, "tiny", "never", Map.of(), model -> Map.of(), "cpu"));
        assertTrue(e.getMessage().contains("another vocab.txt"), e.getMessage());
        assertTrue(Files.notExists(store.resolve("tiny").resolve("never")));
    }

    @Test
    void aGateFileOutsideTheVersionIsRefused() throws Exception {
        Path copy = store.resolve("tiny").resolve("escaping");
        Files.createDirectories(copy);
        for (String f : ArtifactFiles.readManifest(routed).files().keySet()) {
            Files.copy(routed.resolve(f), copy.resolve(f));
        }
        ModelManifest m = ArtifactFiles.readManifest(routed);
        ModelManifest.Routing r = m.routing();
        ModelManifest escaping = new ModelManifest(m.name(), "escaping", m.kind(), m.createdAt(), m.architecture(), m.labels(),
                m.maxLength(), m.preprocessingVersion(), m.parent(), m.training(), m.metrics(), m.files(), m.ensemble(),
                new ModelManifest.Routing("../routed/" + r.gateFile(), r.domains(), r.threshold(), r.expertWeights(),
                        r.expertNgramFile(), r.expertNgramWeight()));
        new com.fasterxml.jackson.databind.ObjectMapper().writeValue(copy.resolve(ArtifactFiles.MANIFEST).toFile(), escaping);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> EmotionModel.load(copy, "cpu"));
        assertTrue(e.getMessage().contains("not a file name inside the version"), e.getMessage());
    }

    @Test
    void aGateHasTwoClassesAndAThresholdStrictlyBetweenZeroAndOne() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new DomainGate(gate, 0));
        assertThrows(IllegalArgumentException.class, () -> new DomainGate(gate, 1));
        Vocabulary vocab = Vocabulary.load(main.resolve(EmotionModel.VOCAB));
        LabeledSet tiny = LabeledSet.of("tiny", TinyRecipe.POSTS, TextPipeline.standard(vocab), true);
        NgramClassifier emotions = new NgramTrainer(NgramSettings.defaults(), NgramTrainingConfig.defaults())
                .train(tiny.encodings(), tiny.labels(), VocabularyStamp.of(vocab), null).classifier();
        assertThrows(IllegalArgumentException.class, () -> new DomainGate(emotions, 0.5));
        assertEquals(List.of("calm", "tense"), new DomainGate(gate, 0.5).domains());
    }

    private static boolean differ(List<Prediction> a, List<Prediction> b) {
        List<Boolean> same = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            same.add(java.util.Arrays.equals(a.get(i).probabilities(), b.get(i).probabilities()));
        }
        return same.contains(false);
    }
}
