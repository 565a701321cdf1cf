package com.emotionmonitor.serving;

import com.emotionmonitor.model.Emotion;
import com.emotionmonitor.model.ModelLoadException;
import com.emotionmonitor.model.OfflineDefaults;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.store.ModelStore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.train.TinyRecipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmotionModelTest {

    static {
        OfflineDefaults.apply();
    }

    @TempDir static Path store;
    static Path v1;

    @BeforeAll
    static void publishTinyModel() throws Exception {
        v1 = TinyRecipe.trainAndPublish(store, "tiny", "v1", 1L);
    }

    private static Path copyOfV1(String version) throws Exception {
        Path copy = store.resolve("tiny").resolve(version);
        Files.createDirectories(copy);
        try (Stream<Path> s = Files.list(v1)) {
            for (Path p : s.toList()) {
                Files.copy(p, copy.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return copy;
    }

    @Test
    void aPostWithNothingToReadIsNeutralByRuleAsInTheJob() {
        try (EmotionModel model = EmotionModel.load(v1, "cpu")) {
            List<Prediction> preds = model.classify(List.of("\uFEFF\u2060", "http://t.cn/A6vXyZ12", TinyRecipe.POSTS.get(0).content()));
            assertEquals(Prediction.emptyText(), preds.get(0));
            assertEquals(Prediction.emptyText(), preds.get(1));
            assertEquals(Emotion.NEUTRAL, preds.get(0).emotion());
            assertEquals(1f, preds.get(0).confidence());
            assertTrue(preds.get(2).confidence() < 1f, "a readable post goes through the model");
        }
    }

    @Test
    void loadsVerifiesAndClassifiesItsTrainingPosts() {
        try (EmotionModel model = EmotionModel.load(v1, "cpu")) {
            assertEquals("v1", model.manifest().version());
            List<Prediction> preds = model.classify(TinyRecipe.POSTS.stream().map(p -> p.content()).toList());
            long correct = 0;
            for (int i = 0; i < preds.size(); i++) {
                if (preds.get(i).emotion() == Emotion.fromLabel(TinyRecipe.POSTS.get(i).label())) {
                    correct++;
                }
                float sum = 0;
                for (float p : preds.get(i).probabilities()) {
                    sum += p;
                }
                assertEquals(1f, sum, 1e-4);
            }
            assertEquals(preds.size(), correct, "the tiny model memorises its 36 posts");
        }
    }

    @Test
    void aReloadedVersionGivesIdenticalProbabilities() {
        List<String> texts = List.of("今天太开心了哈哈", "气死我了", "这是一个没见过的句子");
        try (EmotionModel a = EmotionModel.load(v1, "cpu"); EmotionModel b = EmotionModel.load(v1, "cpu")) {
            List<Prediction> pa = a.classify(texts);
            List<Prediction> pb = b.classify(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(pa.get(i).probabilities(), pb.get(i).probabilities());
            }
        }
    }

    @Test
    void aFlippedByteInTheWeightsIsRefused() throws Exception {
        Path v = copyOfV1("flipped");
        byte[] bytes = Files.readAllBytes(v.resolve(EmotionModel.WEIGHTS));
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(v.resolve(EmotionModel.WEIGHTS), bytes);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> EmotionModel.load(v, "cpu"));
        assertTrue(e.getMessage().contains("sha256 mismatch for model.params"), e.getMessage());
    }

    @Test
    void aMissingFileIsRefused() throws Exception {
        Path v = copyOfV1("incomplete");
        Files.delete(v.resolve(EmotionModel.VOCAB));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> EmotionModel.load(v, "cpu"));
        assertTrue(e.getMessage().contains("vocab.txt listed in the manifest is missing"), e.getMessage());
    }

    @Test
    void aMissingVersionIsRefusedWithItsPath() {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> EmotionModel.load(store.resolve("tiny/v404"), "cpu"));
        assertTrue(e.getMessage().contains("v404") && e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void wrongLabelsAreRefusedEvenWithValidChecksums() throws Exception {
        Path v = copyOfV1("fivelabels");
        String manifest = Files.readString(v.resolve(ArtifactFiles.MANIFEST));
        Files.writeString(v.resolve(ArtifactFiles.MANIFEST), manifest.replace("\"surprise\", ", "").replace("\"surprise\",", ""));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> EmotionModel.load(v, "cpu"));
        assertTrue(e.getMessage().contains("labels"), e.getMessage());
    }

    @Test
    void aModelTrainedWithAnUnknownPreprocessingIsRefused() throws Exception {
        Path v = copyOfV1("otherclean");
        String manifest = Files.readString(v.resolve(ArtifactFiles.MANIFEST));
        Files.writeString(v.resolve(ArtifactFiles.MANIFEST), manifest.replace("\"weibo-clean-1\"", "\"weibo-clean-0\""));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> EmotionModel.load(v, "cpu"));
        assertTrue(e.getMessage().contains("weibo-clean-0"), e.getMessage());
    }

    @Test
    void publishingOverAnExistingVersionIsRefused() {
        assertThrows(IllegalStateException.class, () -> TinyRecipe.trainAndPublish(store, "tiny", "v1", 2L));
    }

    @Test
    void newestVersionFollowsCreationTime() throws Exception {
        Path other = store.resolve("other");
        TinyRecipe.trainAndPublish(other, "m", "b-older", 1L);
        Thread.sleep(5);
        TinyRecipe.trainAndPublish(other, "m", "a-newer", 1L);
        assertEquals("a-newer", ModelStore.latest(other, "m").getFileName().toString());
        assertThrows(ModelLoadException.class, () -> ModelStore.latest(other, "absent"));
    }
}
