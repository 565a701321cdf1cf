package com.emotionmonitor.train.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.data.CannedPosts;
import com.emotionmonitor.model.EncoderVariant;
import com.emotionmonitor.model.HiddenActivation;
import com.emotionmonitor.model.OfflineDefaults;
import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.store.ModelManifest;
import com.emotionmonitor.text.TokenizerVariant;
import com.emotionmonitor.train.hf.HfImporter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code train finetune --pretrained} from an encoder imported from Hugging Face (the parity fixture's
 * BertForMaskedLM-shaped checkpoint, L2-H32) or from TensorFlow (the same weights in Google's layout, tf-parity/): the
 * same trainer and n-gram mix as for ours, the posts tokenized with the encoder's tokenizer, and a classifier version
 * that names the post-LN architecture, that tokenizer, and the encoder's activation (TensorFlow's: the tanh GELU).
 */
class FineTuneFromImportedEncoderTest {

    static {
        OfflineDefaults.apply();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hf-parity/encoder/config.json", "tf-parity/encoder/bert_config.json"})
    void fineTunesTheImportedEncoderWithItsTokenizerAndPublishesAPostLnClassifier(String fixture, @TempDir Path dir)
            throws Exception {
        Path checkpoint = Path.of(FineTuneFromImportedEncoderTest.class
                .getResource("/com/emotionmonitor/train/hf/" + fixture).toURI()).getParent();
        boolean tensorFlow = fixture.startsWith("tf-");
        Path encoder = HfImporter.importTo(new HfImporter.Request(checkpoint, "hf-mlm", "1", null, null, 0, null, "test",
                tensorFlow ? true : null, null, List.of(), 0), dir.resolve("store")).staged();

        Path posts = PostFiles.write(dir.resolve("posts.jsonl"), CannedPosts.POSTS);
        FineTuneWorkflow.Publish publish = new FineTuneWorkflow.Publish(dir.resolve("store"), "hf-emotion", "1",
                "bin/emotion train finetune --pretrained " + encoder);
        FineTuneWorkflow.Result result = new FineTuneWorkflow(new PostFiles.Captured().out).run(new FineTuneWorkflow.Request(
                encoder, List.of(posts), List.of(), posts, false, List.of(posts), 1, 32, 2, 30, 3e-3f, 0.05f, 0f, 0f, 1024, 16,
                "none", 0, 0, 7L, "cpu", dir.resolve("work"), true, 10, publish));

        assertEquals("L2-H32-A4-bert-post-ln", result.summary().get("architecture"));
        double accuracy = result.training().reports().get("posts.jsonl").accuracy();
        assertTrue(accuracy > 0.5, "the imported encoder fine-tunes: accuracy " + accuracy + " on the 36 posts it trained on");
        ModelManifest m = ArtifactFiles.verify(result.published());
        assertEquals(EncoderVariant.BERT_POST_LN, m.architecture().variant());
        assertEquals(1e-12f, m.architecture().layerNormEps());
        assertEquals(tensorFlow ? HiddenActivation.GELU_TANH : HiddenActivation.GELU, m.architecture().hiddenAct());
        assertEquals(TokenizerVariant.HF_BERT_BASIC, m.tokenizer());
        assertEquals(encoder.toString(), m.parent());
        assertNotNull(m.ensemble(), "the n-gram mix works as for ours");
        try (EmotionModel served = EmotionModel.load(result.published(), "cpu")) {
            assertEquals(TokenizerVariant.HF_BERT_BASIC, served.textPipeline().tokenizer().variant());
            assertEquals(CannedPosts.POSTS.size(), served.classify(CannedPosts.POSTS.stream().map(p -> p.content()).toList()).size());
        }
    }
}
