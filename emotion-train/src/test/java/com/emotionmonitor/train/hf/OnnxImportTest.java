package com.emotionmonitor.train.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.model.HiddenActivation;
import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.store.ModelManifest;
import com.emotionmonitor.text.Encoding;
import com.emotionmonitor.text.TokenizerVariant;
import com.emotionmonitor.text.Vocabulary;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code model import-hf} of an ONNX export: the same weights as the checkpoint it was exported from, with or without
 * config.json beside it, and every refusal naming what is wrong.
 */
class OnnxImportTest {

    private static final List<String> CHECKPOINT_LABELS = List.of("angry", "fear", "happy", "neutral", "sad", "surprise");
    /** The fixture's attention: hidden 32 over 4 heads, so scores are divided by sqrt(8). */
    private static final float SCALE = (float) Math.sqrt(8);

    @TempDir Path tmp;

    private static Map<String, SafetensorsWriter.Tensor> tensors(Path checkpoint) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(checkpoint.resolve(HfBertCheckpoint.SAFETENSORS))) {
            return SafetensorsWriter.readAll(f);
        }
    }

    /** The encoder fixture as a feature-extraction export writes it: a BertModel, no "bert." prefix, no MLM head. */
    private static Map<String, SafetensorsWriter.Tensor> bertModel() throws IOException {
        Map<String, SafetensorsWriter.Tensor> out = new LinkedHashMap<>();
        tensors(HfFixture.encoder()).forEach((name, t) -> {
            if (name.startsWith("bert.")) {
                out.put(name.substring("bert.".length()), t);
            }
        });
        return out;
    }

    private static OnnxWriter export(Map<String, SafetensorsWriter.Tensor> tensors, OnnxWriter.Linear linear, String scope,
            String activationOp, float scale) {
        return OnnxWriter.of(tensors, linear)
                .node(new OnnxWriter.Node("Constant", scope + "encoder/layer.0/attention/self/Constant_12", List.of(), null, 0,
                        scale))
                .node(OnnxWriter.Node.of(activationOp, scope + "encoder/layer.0/intermediate/intermediate_act_fn/"
                        + activationOp, "x"));
    }

    /** optimum's layout: config.json, tokenizer.json (no vocab.txt), onnx/model.onnx. */
    private Path optimumLayout(Path from, Map<String, SafetensorsWriter.Tensor> tensors, String architecture, String scope,
            String activationOp) throws IOException {
        Path dir = tmp.resolve("optimum-" + architecture + "-" + activationOp);
        Files.createDirectories(dir.resolve("onnx"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(from.resolve("config.json").toFile());
        config.putArray("architectures").add(architecture);
        json.writeValue(dir.resolve("config.json").toFile(), config);
        Files.copy(from.resolve("tokenizer_config.json"), dir.resolve("tokenizer_config.json"));
        writeTokenizerJson(Vocabulary.load(from.resolve("vocab.txt")), dir.resolve("tokenizer.json"), true);
        export(tensors, OnnxWriter.Linear.MATMUL, scope, activationOp, SCALE).write(dir.resolve("onnx").resolve("model.onnx"));
        return dir;
    }

    /** A bare export as libraries ship it: NAME.onnx and NAME-tokenizer.json, nothing else. */
    private Path bareExport(String name, OnnxWriter w) throws IOException {
        Path dir = tmp.resolve("bare-" + name);
        Files.createDirectories(dir);
        w.write(dir.resolve(name + ".onnx"));
        writeTokenizerJson(Vocabulary.load(HfFixture.encoder().resolve("vocab.txt")), dir.resolve(name + "-tokenizer.json"),
                true);
        return dir;
    }

    private static void writeTokenizerJson(Vocabulary vocab, Path file, boolean lowercase) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.putObject("normalizer").put("type", "BertNormalizer").put("lowercase", lowercase);
        ObjectNode model = root.putObject("model");
        model.put("type", "WordPiece").put("unk_token", "[UNK]").put("continuing_subword_prefix", "##");
        ObjectNode v = model.putObject("vocab");
        for (int i = 0; i < vocab.size(); i++) {
            v.put(vocab.token(i), i);
        }
        json.writeValue(file.toFile(), root);
    }

    private HfImporter.Result importDir(Path dir, List<String> labels, Boolean lowerCase, Integer heads, List<Path> prune,
            String version) throws IOException {
        return HfImporter.importTo(new HfImporter.Request(dir, "onnx", version, labels, null, 0, null, "test", lowerCase,
                heads, prune, 0), tmp.resolve("store"));
    }

    private static String refusal(Executable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    interface Executable {
        void run() throws Exception;
    }

    /**
     * The same tokens at the same ids, but for an id the tokenizer.json cannot name (the fixture's vocab.txt lists "com"
     * twice; tokenizer.json's map keeps the last).
     */
    private static void assertSameVocabulary(HfImporter.Result fromTokenizerJson, HfImporter.Result fromVocabTxt) {
        Vocabulary a = Vocabulary.load(fromTokenizerJson.staged().resolve("vocab.txt"));
        Vocabulary b = Vocabulary.load(fromVocabTxt.staged().resolve("vocab.txt"));
        assertEquals(b.size(), a.size());
        int unreachable = 0;
        for (int i = 0; i < a.size(); i++) {
            if (a.token(i).startsWith(TokenizerJson.UNREACHABLE)) {
                unreachable++;
                assertEquals(b.token(i), b.token(b.lastIdOf(b.token(i))), "a duplicate of a later token");
                assertTrue(b.lastIdOf(b.token(i)) > i);
            } else {
                assertEquals(b.token(i), a.token(i), "id " + i);
            }
        }
        assertTrue(unreachable <= 1, unreachable + " unreachable ids");
    }

    private static void assertSameFiles(HfImporter.Result a, HfImporter.Result b, String... files) throws IOException {
        for (String f : files) {
            assertArrayEquals(Files.readAllBytes(a.staged().resolve(f)), Files.readAllBytes(b.staged().resolve(f)), f);
        }
    }

    @Test
    void anOptimumExportWithConfigJsonImportsToTheWeightsItsSafetensorsGive() throws IOException {
        Path dir = optimumLayout(HfFixture.encoder(), bertModel(), "BertModel", "/", "Erf");
        HfImporter.Result onnx = importDir(dir, null, null, null, List.of(), "onnx");
        HfImporter.Result safetensors = importDir(HfFixture.encoder(), null, null, null, List.of(), "safetensors");
        assertEquals(ModelManifest.PRETRAINED_ENCODER, onnx.manifest().kind());
        assertEquals(safetensors.manifest().architecture(), onnx.manifest().architecture());
        assertEquals("onnx/model.onnx", onnx.manifest().training().get("weights_read"));
        assertSameFiles(onnx, safetensors, "encoder.params", "pooler.params");
        assertSameVocabulary(onnx, safetensors);
    }

    @Test
    void aBareExportTakesItsSizesFromTheTensorsAndItsHeadsFromTheCaller() throws IOException {
        Path dir = bareExport("bge", export(bertModel(), OnnxWriter.Linear.GEMM_TRANS_B, "/", "Erf", SCALE));
        HfImporter.Result onnx = importDir(dir, null, null, 4, List.of(), "onnx");
        HfImporter.Result safetensors = importDir(HfFixture.encoder(), null, null, null, List.of(), "safetensors");
        assertEquals(safetensors.manifest().architecture(), onnx.manifest().architecture());
        assertEquals(HiddenActivation.GELU, onnx.manifest().architecture().hiddenAct());
        assertEquals(TokenizerVariant.HF_BERT_BASIC, onnx.manifest().tokenizer());
        assertSameFiles(onnx, safetensors, "encoder.params", "pooler.params");
        assertSameVocabulary(onnx, safetensors);
        // the tokenizer.json's normalizer gives the casing unless --lower-case says otherwise
        assertEquals(TokenizerVariant.HF_BERT_BASIC_CASED, importDir(dir, null, false, 4, List.of(), "cased").manifest()
                .tokenizer());
    }

    @Test
    void pruningTheVocabularyOfABareBertModelCutsItsEmbeddingRows() throws IOException {
        Path corpus = tmp.resolve("posts.jsonl");
        List<String> lines = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (HfFixture.Post p : HfFixture.posts()) {
            lines.add("{\"id\": " + lines.size() + ", \"content\": " + json.writeValueAsString(p.text()) + ", \"label\": \"neutral\"}");
        }
        Files.write(corpus, lines, StandardCharsets.UTF_8);
        // BertModel's tables carry no "bert." prefix: its word embeddings must be cut all the same
        Path dir = bareExport("bert", export(bertModel(), OnnxWriter.Linear.MATMUL, "/", "Erf", SCALE));
        HfImporter.Result onnx = importDir(dir, null, true, 4, List.of(corpus), "onnx");
        HfImporter.Result safetensors = importDir(HfFixture.encoder(), null, null, null, List.of(corpus), "safetensors");
        assertTrue(onnx.manifest().architecture().vocabSize() < 477, "pruned to " + onnx.manifest().architecture().vocabSize());
        assertSameFiles(onnx, safetensors, "encoder.params");
        assertSameVocabulary(onnx, safetensors);
    }

    @Test
    void anExportedClassifierPredictsWhatItsSafetensorsPredict() throws IOException {
        Map<String, SafetensorsWriter.Tensor> tensors = tensors(HfFixture.classifier());
        Path dir = optimumLayout(HfFixture.classifier(), tensors, "BertForSequenceClassification", "/bert/", "Erf");
        HfImporter.Result onnx = importDir(dir, null, null, null, List.of(), "onnx");
        HfImporter.Result safetensors = importDir(HfFixture.classifier(), null, null, null, List.of(), "safetensors");
        assertEquals(ModelManifest.CLASSIFIER, onnx.manifest().kind());
        try (EmotionModel a = EmotionModel.load(onnx.staged(), "cpu");
                EmotionModel b = EmotionModel.load(safetensors.staged(), "cpu")) {
            for (HfFixture.Post post : HfFixture.posts()) {
                Encoding e = a.textPipeline().prepare(post.text()).encoding();
                assertArrayEquals(b.predict(List.of(e)).get(0).probabilities(), a.predict(List.of(e)).get(0).probabilities(),
                        1e-6f, post.text());
            }
        }
        // without config.json nothing names the labels
        Path bare = bareExport("cls", export(tensors, OnnxWriter.Linear.MATMUL, "/bert/", "Erf", SCALE));
        assertTrue(refusal(() -> importDir(bare, null, true, 4, List.of(), "x")).contains("give its output order with --labels"));
        assertEquals(ModelManifest.CLASSIFIER, importDir(bare, CHECKPOINT_LABELS, true, 4, List.of(), "labelled").manifest()
                .kind());
    }

    @Test
    void aWrongHeadCountAMissingOneAndAnUnscopedNodeAreRefusedByName() throws IOException {
        Path dir = bareExport("bge", export(bertModel(), OnnxWriter.Linear.MATMUL, "/", "Erf", SCALE));
        String heads = refusal(() -> importDir(dir, null, null, 2, List.of(), "x"));
        assertTrue(heads.contains("scales layer 0's attention by [2.828427]") && heads.contains("the head count is wrong"),
                heads);
        assertTrue(refusal(() -> importDir(dir, null, null, null, List.of(), "x")).contains("give --heads"));

        OnnxWriter unscoped = export(bertModel(), OnnxWriter.Linear.MATMUL, "/", "Erf", SCALE);
        unscoped.initializer("onnx::MatMul_9", new long[] {32, 32}, new float[32 * 32]);
        unscoped.node(OnnxWriter.Node.of("MatMul", "MatMul_9", "x", "onnx::MatMul_9"));
        Path u = bareExport("unscoped", unscoped);
        assertTrue(refusal(() -> importDir(u, null, null, 4, List.of(), "x")).contains(
                "MatMul node 'MatMul_9' multiplies by onnx::MatMul_9 but its name does not say its module"));
    }

    @Test
    void anActivationTheConfigDoesNotSayIsRefused() throws IOException {
        Path tanh = optimumLayout(HfFixture.encoder(), bertModel(), "BertModel", "/", "Tanh");
        assertTrue(refusal(() -> importDir(tanh, null, null, null, List.of(), "x")).contains(
                "computes GELU_TANH in its feed-forward layers, the configuration says GELU"));
        Path neither = bareExport("neither", export(bertModel(), OnnxWriter.Linear.MATMUL, "/", "Relu", SCALE));
        assertTrue(refusal(() -> importDir(neither, null, null, 4, List.of(), "x")).contains("activation is not recognisable"));
        // with config.json, --heads and --lower-case do not apply
        Path withConfig = optimumLayout(HfFixture.encoder(), bertModel(), "BertModel", "/", "Erf");
        assertTrue(refusal(() -> importDir(withConfig, null, null, 4, List.of(), "x")).contains("apply only without config.json"));
    }
}
