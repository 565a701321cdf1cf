package com.emotionmonitor.train.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import com.emotionmonitor.model.EncoderVariant;
import com.emotionmonitor.model.ModelShapes;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.model.nn.BertInputs;
import com.emotionmonitor.model.nn.EmotionClassifierBlock;
import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.store.ModelManifest;
import com.emotionmonitor.text.Encoding;
import com.emotionmonitor.text.HfBertTokenizer;
import com.emotionmonitor.text.TokenizerVariant;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our post-LN blocks with a checkpoint's weights give PyTorch's logits: the fixture (hf-parity/make_fixture.py, a
 * random BertForSequenceClassification-shaped model in plain torch with Hugging Face's module names) holds both weight
 * formats and the logits torch computed, one unpadded post at a time, for 40 real posts. Both formats, batches of 1
 * (unpadded), 7 and 40 (padded to their longest member): max |Δlogit| ≤ 1e-4.
 */
class HfParityTest {

    private static final double TOLERANCE = 1e-4;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {HfBertCheckpoint.SAFETENSORS, HfBertCheckpoint.PYTORCH_BIN})
    void logitsMatchPyTorchAtEveryBatchSize(String weightsFile) throws Exception {
        HfBertCheckpoint ckpt = HfBertCheckpoint.read(HfFixture.classifier(), null)
                .withWeights(HfFixture.classifier().resolve(weightsFile));
        assertEquals(EncoderVariant.BERT_POST_LN, ckpt.architecture().variant());
        assertEquals(1e-12f, ckpt.architecture().layerNormEps());
        assertEquals(TokenizerVariant.HF_BERT_BASIC, ckpt.tokenizer());
        List<HfFixture.Post> posts = HfFixture.posts();
        LabelOrder order = LabelOrder.of(ckpt.checkpointLabels());
        HfBertTokenizer tokenizer = new HfBertTokenizer(ckpt.vocabulary(), HfFixture.maxLength(), true);
        List<Encoding> batch = new ArrayList<>();
        double spread = 0;
        for (HfFixture.Post p : posts) {
            // The Python port of BertTokenizer and ours agree on every post (the Rust one is checked on 36,000 in core).
            assertArrayEquals(p.ids(), tokenizer.encode(p.text()).ids(), p.text());
            batch.add(new Encoding(p.ids()));
            for (float l : p.logits()) {
                spread = Math.max(spread, Math.abs(l));
            }
        }
        assertTrue(spread > 1, "logits of order 1, so 1e-4 is a tight bound: " + spread);
        assertTrue(posts.stream().anyMatch(p -> p.ids().length == HfFixture.maxLength()), "some posts are truncated");

        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                TensorSource weights = ckpt.openWeights()) {
            EmotionClassifierBlock block = new EmotionClassifierBlock(ckpt.architecture());
            block.initialize(manager, DataType.FLOAT32, ModelShapes.classifierInputs());
            HfBertWeights.Report report = new HfBertWeights(weights).loadClassifier(block, order);
            assertEquals(List.of("bert.embeddings.position_ids"), report.dropped());
            ParameterStore ps = new ParameterStore(manager, false);
            for (int size : new int[] {1, 7, posts.size()}) {
                double worst = 0;
                for (int from = 0; from < posts.size(); from += size) {
                    List<Encoding> part = batch.subList(from, Math.min(posts.size(), from + size));
                    float[] logits;
                    try (NDManager scope = manager.newSubManager()) {
                        logits = block.forward(ps, BertInputs.of(scope, part, ckpt.vocabulary().padId()), false).head().toFloatArray();
                    }
                    for (int i = 0; i < part.size(); i++) {
                        float[] expected = posts.get(from + i).logits();
                        for (int e = 0; e < 6; e++) {
                            worst = Math.max(worst, Math.abs(logits[i * 6 + e] - expected[order.sourceRow()[e]]));
                        }
                    }
                }
                System.out.printf(Locale.ROOT, "hf parity %s batch %d: max |dlogit| %.2e%n", weightsFile, size, worst);
                assertTrue(worst <= TOLERANCE, weightsFile + " batch " + size + ": max |dlogit| " + worst);
            }
        }
    }

    /** Imported as a version, served through EmotionModel: the probabilities are PyTorch's softmax, labels in our order. */
    @Test
    void anImportedVersionServesPyTorchsProbabilities(@TempDir Path store) throws IOException {
        HfImporter.Result r = HfImporter.importTo(new HfImporter.Request(HfFixture.classifier(), "hf-tiny", "1", null, null,
                HfFixture.maxLength(), null, "test"), store);
        ModelManifest m = r.manifest();
        assertEquals(TokenizerVariant.HF_BERT_BASIC, m.tokenizer());
        assertEquals(List.of("happy", "angry", "sad", "fear", "surprise", "neutral"), m.labels());
        assertEquals(List.of("angry", "fear", "happy", "neutral", "sad", "surprise"), m.training().get("checkpoint_label_order"));
        List<HfFixture.Post> posts = HfFixture.posts();
        LabelOrder order = LabelOrder.of(r.checkpoint().checkpointLabels());
        try (EmotionModel model = EmotionModel.load(r.staged(), "cpu")) {
            assertEquals(TokenizerVariant.HF_BERT_BASIC, model.textPipeline().tokenizer().variant());
            List<Prediction> got = model.predict(posts.stream().map(p -> new Encoding(p.ids())).toList());
            for (int i = 0; i < posts.size(); i++) {
                float[] probs = softmax(posts.get(i).logits());
                for (int e = 0; e < 6; e++) {
                    assertEquals(probs[order.sourceRow()[e]], got.get(i).probabilities()[e], 1e-5, posts.get(i).text());
                }
            }
        }
    }

    private static float[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        float[] out = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            sum += Math.exp(logits[i] - max);
        }
        for (int i = 0; i < logits.length; i++) {
            out[i] = (float) (Math.exp(logits[i] - max) / sum);
        }
        return out;
    }
}
