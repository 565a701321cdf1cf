package com.emotionmonitor.train.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.emotionmonitor.model.HiddenActivation;
import com.emotionmonitor.model.ModelShapes;
import com.emotionmonitor.model.nn.BlockWeights;
import com.emotionmonitor.model.nn.EmotionClassifierBlock;
import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.store.ModelManifest;
import com.emotionmonitor.text.TokenizerVariant;
import com.emotionmonitor.train.PretrainedEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code model import-hf}'s rules: what becomes a version, and every refusal naming what is wrong. */
class HfImportTest {

    @TempDir Path tmp;

    private HfImporter.Result importDir(Path dir, List<String> labels) throws IOException {
        return HfImporter.importTo(new HfImporter.Request(dir, "hf", "v", labels, null, 0, null, "test"), tmp.resolve("store"));
    }

    private static String refusal(ThrowingRunnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private Path classifierCopy() throws IOException {
        return HfFixture.copy(HfFixture.classifier(), tmp.resolve("ckpt"));
    }

    private static void editConfig(Path dir, java.util.function.Consumer<ObjectNode> change) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode c = (ObjectNode) json.readTree(dir.resolve("config.json").toFile());
        change.accept(c);
        json.writeValue(dir.resolve("config.json").toFile(), c);
    }

    /** The classifier's safetensors rewritten by {@code change} (pytorch_model.bin removed, so this file is read). */
    private static void editWeights(Path dir, java.util.function.Consumer<Map<String, SafetensorsWriter.Tensor>> change)
            throws IOException {
        Map<String, SafetensorsWriter.Tensor> all;
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve(HfBertCheckpoint.SAFETENSORS))) {
            all = SafetensorsWriter.readAll(f);
        }
        change.accept(all);
        SafetensorsWriter.write(dir.resolve(HfBertCheckpoint.SAFETENSORS), all);
        Files.deleteIfExists(dir.resolve(HfBertCheckpoint.PYTORCH_BIN));
    }

    @Test
    void aClassifierBecomesAVersionWithTheManifestSayingWhatItIs() throws IOException {
        HfImporter.Result r = importDir(HfFixture.classifier(), null);
        ModelManifest m = r.manifest();
        assertEquals(ModelManifest.CLASSIFIER, m.kind());
        assertEquals("L2-H32-A4-bert-post-ln", m.architecture().shortName());
        assertEquals(128, m.architecture().maxPositions());
        assertEquals(142 > 128 ? 128 : 142, m.maxLength(), "capped by the model's positions");
        assertEquals("weibo-clean-1", m.preprocessingVersion());
        assertEquals(TokenizerVariant.HF_BERT_BASIC, m.tokenizer());
        assertEquals(Set(EmotionModel.WEIGHTS, EmotionModel.VOCAB), m.files().keySet());
        @SuppressWarnings("unchecked")
        Map<String, String> sources = (Map<String, String>) m.training().get("source_files");
        assertEquals(Set("config.json", "model.safetensors", "tokenizer_config.json", "vocab.txt"), sources.keySet());
        assertEquals("model.safetensors", m.training().get("weights_read"));
        String json = Files.readString(r.staged().resolve("manifest.json"));
        assertTrue(json.contains("\"variant\" : \"bert-post-ln\"") && json.contains("\"tokenizer\" : \"hf-bert-basic\""), json);
        try (EmotionModel model = EmotionModel.load(r.staged(), "cpu")) {
            assertEquals(6, model.classify(List.of("今天天气真好")).get(0).probabilities().length);
        }
    }

    @Test
    void anEncoderBecomesAPretrainedEncoderWithItsPoolerAndTheSameWeights() throws Exception {
        HfImporter.Result enc = importDir(HfFixture.encoder(), null);
        assertEquals(ModelManifest.PRETRAINED_ENCODER, enc.manifest().kind());
        assertEquals(Set("encoder.params", "pooler.params", "vocab.txt"), enc.manifest().files().keySet());
        assertTrue(enc.dropped().containsAll(List.of("cls.predictions.bias", "cls.seq_relationship.weight",
                "bert.embeddings.position_ids")), enc.dropped().toString());
        PretrainedEncoder parent = PretrainedEncoder.read(enc.staged());
        assertEquals(TokenizerVariant.HF_BERT_BASIC, parent.tokenizer());
        assertNotNull(parent.poolerWeights());

        // Its tensors (under TF's gamma/beta names) are the classifier fixture's encoder: the weights come out equal.
        HfImporter.Result cls = HfImporter.importTo(new HfImporter.Request(HfFixture.classifier(), "hf", "cls", null, null, 0,
                null, "test"), tmp.resolve("store"));
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            EmotionClassifierBlock a = new EmotionClassifierBlock(parent.architecture());
            a.initialize(manager, DataType.FLOAT32, ModelShapes.classifierInputs());
            BlockWeights.load(a, manager, cls.staged().resolve(EmotionModel.WEIGHTS));
            EmotionClassifierBlock b = new EmotionClassifierBlock(parent.architecture());
            b.initialize(manager, DataType.FLOAT32, ModelShapes.classifierInputs());
            BlockWeights.load(b.encoder(), manager, parent.encoderWeights());
            BlockWeights.load(b.pooler(), manager, parent.poolerWeights());
            List<Pair<String, Parameter>> pa = a.getParameters().stream().filter(p -> !p.getKey().contains("output")).toList();
            List<Pair<String, Parameter>> pb = b.getParameters().stream().filter(p -> !p.getKey().contains("output")).toList();
            for (int i = 0; i < pa.size(); i++) {
                assertArrayEquals(pa.get(i).getValue().getArray().toFloatArray(), pb.get(i).getValue().getArray().toFloatArray(),
                        pa.get(i).getKey());
            }
        }
    }

    @Test
    void anotherArchitectureIsRefusedByName() throws IOException {
        Path dir = classifierCopy();
        editConfig(dir, c -> {
            c.putArray("architectures").add("RobertaForSequenceClassification");
            c.put("model_type", "roberta");
        });
        assertTrue(refusal(() -> importDir(dir, null)).contains("RobertaForSequenceClassification (model_type 'roberta')"));
    }

    @Test
    void anUnsupportedActivationOrPositionTypeIsRefused() throws IOException {
        Path dir = classifierCopy();
        editConfig(dir, c -> c.put("hidden_act", "relu"));
        assertTrue(refusal(() -> importDir(dir, null)).contains("hidden_act 'relu'"));
        editConfig(dir, c -> c.put("hidden_act", "gelu_new")); // Google's tanh GELU, served as such
        assertEquals(HiddenActivation.GELU_TANH, HfBertCheckpoint.read(dir, null).architecture().hiddenAct());
        editConfig(dir, c -> {
            c.put("hidden_act", "gelu");
            c.put("position_embedding_type", "relative_key");
        });
        assertTrue(refusal(() -> importDir(dir, null)).contains("position_embedding_type 'relative_key'"));
    }

    @Test
    void aMissingTensorIsRefusedByName() throws IOException {
        Path dir = classifierCopy();
        editWeights(dir, t -> t.remove("bert.encoder.layer.1.attention.self.key.weight"));
        String why = refusal(() -> importDir(dir, null));
        assertTrue(why.contains("lacks tensor bert.encoder.layer.1.attention.self.key.weight"), why);
    }

    @Test
    void aShapeThatConfigJsonDoesNotImplyIsRefusedByName() throws IOException {
        Path dir = classifierCopy();
        editConfig(dir, c -> c.put("intermediate_size", 48));
        Files.delete(dir.resolve(HfBertCheckpoint.SAFETENSORS)); // and read pytorch_model.bin this time
        String why = refusal(() -> importDir(dir, null));
        assertTrue(why.contains("pytorch_model.bin: tensor bert.encoder.layer.0.intermediate.dense.weight has shape [64, 32], "
                + "the architecture implies [48, 32] (as config.json gives it"), why);
    }

    @Test
    void anUnexpectedTensorIsRefusedByName() throws IOException {
        Path dir = classifierCopy();
        editWeights(dir, t -> t.put("bert.encoder.layer.0.attention.self.distance_embedding.weight",
                new SafetensorsWriter.Tensor(new long[] {2, 2}, new float[4])));
        String why = refusal(() -> importDir(dir, null));
        assertTrue(why.contains("unexpected tensor bert.encoder.layer.0.attention.self.distance_embedding.weight"), why);
    }

    @Test
    void defaultLabelNamesNeedTheLabelsFlagWhichGivesTheOutputOrder() throws IOException {
        Path dir = classifierCopy();
        editConfig(dir, c -> {
            ObjectNode id2label = c.putObject("id2label");
            for (int i = 0; i < 6; i++) {
                id2label.put(String.valueOf(i), "LABEL_" + i);
            }
        });
        assertTrue(refusal(() -> importDir(dir, null)).contains("give the output order with --labels"));
        assertTrue(refusal(() -> importDir(dir, List.of("angry", "fear", "happy", "neutral", "sad", "joy")))
                .contains("label 'joy' (output 5)"));
        HfImporter.Result r = importDir(dir, List.of("愤怒", "恐惧", "积极", "无情绪", "悲伤", "惊奇"));
        assertEquals(List.of("愤怒", "恐惧", "积极", "无情绪", "悲伤", "惊奇"), r.manifest().training().get("checkpoint_label_order"));
    }

    @Test
    void theCasedTokenizerComesFromTokenizerConfigAndOddCombinationsAreRefused() throws IOException {
        Path dir = classifierCopy();
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"do_lower_case\": false}");
        assertEquals(TokenizerVariant.HF_BERT_BASIC_CASED, HfBertCheckpoint.read(dir, null).tokenizer());
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"do_lower_case\": true, \"strip_accents\": false}");
        assertTrue(refusal(() -> HfBertCheckpoint.read(dir, null)).contains("strip_accents false"));
        Files.delete(dir.resolve("tokenizer_config.json"));
        assertEquals(TokenizerVariant.HF_BERT_BASIC, HfBertCheckpoint.read(dir, null).tokenizer(), "BertTokenizer's defaults");
    }

    @Test
    void aPrePyTorch16FileIsRefusedWithWhatToDo() throws IOException {
        Path dir = classifierCopy();
        Files.delete(dir.resolve(HfBertCheckpoint.SAFETENSORS));
        Files.write(dir.resolve(HfBertCheckpoint.PYTORCH_BIN), new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0, 0});
        IOException e = assertThrows(IOException.class, () -> importDir(dir, null));
        assertTrue(e.getMessage().contains("before 1.6") && e.getMessage().contains("model.safetensors"), e.getMessage());
    }

    @Test
    void safetensorsFloat16AndBfloat16ReadAsFloat32() throws IOException {
        Path f = tmp.resolve("half.safetensors");
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[1,2],\"data_offsets\":[6,10]},\"__metadata__\":{\"format\":\"pt\"}}";
        ByteBuffer buf = ByteBuffer.allocate(8 + header.length() + 10).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.length()).put(header.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        buf.putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x3555); // 1, -2, 0.33325195
        buf.putShort((short) 0x3FC0).putShort((short) 0xC0A0); // 1.5, -5
        Files.write(f, buf.array());
        try (SafetensorsFile s = SafetensorsFile.open(f)) {
            assertArrayEquals(new float[] {1f, -2f, 0.33325195f}, s.floats("h"));
            assertArrayEquals(new float[] {1.5f, -5f}, s.floats("b"));
            assertArrayEquals(new long[] {1, 2}, s.shape("b"));
        }
        Files.write(f, java.util.Arrays.copyOf(buf.array(), buf.capacity() - 2));
        IOException e = assertThrows(IOException.class, () -> SafetensorsFile.open(f));
        assertTrue(e.getMessage().contains("tensor b") && e.getMessage().contains("data_offsets"), e.getMessage());
    }

    private static java.util.Set<String> Set(String... s) {
        return java.util.Set.of(s);
    }
}
