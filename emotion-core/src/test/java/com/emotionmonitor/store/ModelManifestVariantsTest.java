package com.emotionmonitor.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.model.EncoderVariant;
import com.emotionmonitor.model.HiddenActivation;
import com.emotionmonitor.model.ModelLoadException;
import com.emotionmonitor.text.TokenizerVariant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The architecture variant and the tokenizer are manifest fields that our own published manifests lack: those read as
 * pre-LN with our tokenizer and are written back without the fields; an imported version, and one fine-tuned from an
 * imported encoder, names both.
 */
class ModelManifestVariantsTest {

    @Test
    void everyPublishedManifestReadsItsVariantAndTokenizerAndWritesBackUnchanged() throws Exception {
        Path store = Path.of("../model-store").toAbsolutePath().normalize();
        List<Path> manifests;
        try (Stream<Path> s = Files.walk(store, 3)) {
            manifests = s.filter(p -> p.getFileName().toString().equals(ArtifactFiles.MANIFEST)).toList();
        }
        assertFalse(manifests.isEmpty(), "published versions under " + store);
        int ours = 0;
        for (Path f : manifests) {
            ModelManifest m = ArtifactFiles.readManifest(f.getParent());
            var raw = ArtifactFiles.JSON.readTree(f.toFile());
            if (!raw.path("architecture").has("variant")) {
                // our own models, published before the fields existed
                assertEquals(EncoderVariant.PRE_LN, m.architecture().variant(), f.toString());
                assertEquals(BertConfig.DEFAULT_LAYER_NORM_EPS, m.architecture().layerNormEps(), f.toString());
                assertEquals(TokenizerVariant.EMOTION_BERT_CHINESE, m.tokenizer(), f.toString());
                ours++;
            } else {
                // a version fine-tuned from an imported encoder names them
                assertEquals(raw.path("architecture").path("variant").asText(), m.architecture().variant().id(), f.toString());
                assertEquals(raw.path("tokenizer").asText(), m.tokenizer().id(), f.toString());
            }
            String written = ArtifactFiles.JSON.writeValueAsString(m);
            assertEquals(raw, ArtifactFiles.JSON.readTree(written), f + " round trip");
        }
        assertTrue(ours > 0, "our own versions among " + manifests);
    }

    /** Their weights still load into the (pre-LN) blocks: parameter names and order did not move. */
    @Test
    void everyPublishedVersionStillLoads() throws Exception {
        Path store = Path.of("../model-store").toAbsolutePath().normalize();
        List<Path> versions;
        try (Stream<Path> s = Files.walk(store, 3)) {
            versions = s.filter(p -> p.getFileName().toString().equals(ArtifactFiles.MANIFEST)).map(Path::getParent).toList();
        }
        int loaded = 0;
        for (Path dir : versions) {
            ModelManifest m = ArtifactFiles.verify(dir);
            if (ModelManifest.CLASSIFIER.equals(m.kind())) {
                try (com.emotionmonitor.serving.EmotionModel model = com.emotionmonitor.serving.EmotionModel.load(dir, "cpu")) {
                    assertEquals(6, model.classify(List.of("今天好开心")).get(0).probabilities().length, dir.toString());
                }
            } else {
                try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch")) {
                    com.emotionmonitor.model.nn.BertEncoder encoder = new com.emotionmonitor.model.nn.BertEncoder(m.architecture());
                    encoder.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32,
                            com.emotionmonitor.model.ModelShapes.classifierInputs());
                    com.emotionmonitor.model.nn.BlockWeights.load(encoder, manager, dir.resolve("encoder.params"));
                }
            }
            loaded++;
        }
        // The served default among them: the walk found the real store, not an empty folder.
        assertTrue(versions.contains(store.resolve("weibo-emotion/2026-12-03.1")), versions.toString());
        assertTrue(versions.contains(store.resolve("weibo-emotion/2026-12-08.1")), versions.toString());
        assertTrue(versions.contains(store.resolve("weibo-emotion/2026-11-22.3")), versions.toString());
        assertEquals(versions.size(), loaded);
    }

    @Test
    void anImportedVersionNamesItsVariantEpsilonAndTokenizer(@TempDir Path dir) throws Exception {
        BertConfig bert = BertConfig.bert(21128, 12, 768, 12);
        ModelManifest m = new ModelManifest("n", "v", ModelManifest.CLASSIFIER, null, bert, List.of(), 142, "weibo-clean-1",
                null, Map.of(), Map.of(), Map.of(), null, null, null, TokenizerVariant.HF_BERT_BASIC_CASED);
        String json = ArtifactFiles.JSON.writeValueAsString(m);
        assertTrue(json.contains("\"variant\" : \"bert-post-ln\"") && json.contains("\"layerNormEps\" : 1.0E-12")
                && json.contains("\"tokenizer\" : \"hf-bert-basic-cased\""), json);
        ModelManifest back = ArtifactFiles.JSON.readValue(json, ModelManifest.class);
        assertEquals(m.architecture(), back.architecture());
        assertEquals(TokenizerVariant.HF_BERT_BASIC_CASED, back.tokenizer());
        assertEquals("L12-H768-A12-bert-post-ln", bert.shortName());
    }

    @Test
    void anUnknownVariantOrTokenizerIsRefusedWhenTheManifestIsRead(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(ArtifactFiles.MANIFEST), "{\"name\":\"n\",\"version\":\"v\",\"kind\":\"classifier\","
                + "\"architecture\":{\"vocabSize\":10,\"hiddenSize\":8,\"layers\":1,\"heads\":2,\"intermediateSize\":16,"
                + "\"maxPositions\":16,\"typeVocabSize\":2,\"dropout\":0.1,\"variant\":\"rotary\"},\"maxLength\":16}");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ArtifactFiles.readManifest(dir));
        assertTrue(e.getMessage().contains("rotary"), e.getMessage());
        Files.writeString(dir.resolve(ArtifactFiles.MANIFEST), "{\"name\":\"n\",\"version\":\"v\",\"tokenizer\":\"sentencepiece\"}");
        e = assertThrows(ModelLoadException.class, () -> ArtifactFiles.readManifest(dir));
        assertTrue(e.getMessage().contains("sentencepiece"), e.getMessage());
    }

    /** A TensorFlow import's tanh GELU is written and read back; the exact GELU (every version before it) is left out. */
    @Test
    void theTanhGeluIsAManifestFieldAndTheExactOneIsTheDefault() throws Exception {
        BertConfig a = BertConfig.bert(100, 2, 32, 4);
        BertConfig tanh = new BertConfig(a.vocabSize(), a.hiddenSize(), a.layers(), a.heads(), a.intermediateSize(),
                a.maxPositions(), a.typeVocabSize(), a.dropout(), a.variant(), a.layerNormEps(), HiddenActivation.GELU_TANH);
        String json = ArtifactFiles.JSON.writeValueAsString(tanh);
        assertTrue(json.contains("\"hiddenAct\" : \"gelu-tanh\""), json);
        assertEquals(tanh, ArtifactFiles.JSON.readValue(json, BertConfig.class));
        assertFalse(ArtifactFiles.JSON.writeValueAsString(a).contains("hiddenAct"));
        assertThrows(IllegalArgumentException.class, () -> new BertConfig(100, 32, 2, 4, 128, 142, 2, 0.1f,
                EncoderVariant.PRE_LN, 1e-5f, HiddenActivation.GELU_TANH), "our pre-LN blocks train with the exact GELU only");
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch")) {
            float[] x = {-2f, -0.5f, 0f, 1f, 3f};
            float[] approx = HiddenActivation.GELU_TANH.apply(m.create(x)).toFloatArray();
            float[] exact = HiddenActivation.GELU.apply(m.create(x)).toFloatArray();
            // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) at 1: 0.841192; the exact x Phi(x): 0.841345.
            assertEquals(0.841192f, approx[3], 1e-6f);
            assertEquals(0.841345f, exact[3], 1e-6f);
            for (int i = 0; i < x.length; i++) {
                assertEquals(exact[i], approx[i], 1e-3f, "the approximation stays within 1e-3 of the exact GELU at " + x[i]);
            }
        }
    }
}
