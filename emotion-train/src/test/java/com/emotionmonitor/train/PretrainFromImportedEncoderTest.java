package com.emotionmonitor.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.data.SharedData;
import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.model.OfflineDefaults;
import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.text.TokenizerVariant;
import com.emotionmonitor.train.hf.HfImporter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train pretrain --init}: masked LM continued from an encoder imported from Hugging Face (the parity fixture,
 * L2-H32, post-LN, lower-casing WordPiece). The run keeps the import's architecture, vocabulary and tokenizer, starts
 * from its weights, and its checkpoint is a start that fine-tuning reads with that tokenizer.
 */
class PretrainFromImportedEncoderTest {

    static {
        OfflineDefaults.apply();
    }

    private static Path importFixture(Path dir) throws Exception {
        Path checkpoint = Path.of(PretrainFromImportedEncoderTest.class
                .getResource("/com/emotionmonitor/train/hf/hf-parity/encoder/config.json").toURI()).getParent();
        return HfImporter.importTo(new HfImporter.Request(checkpoint, "hf-mlm", "1", null, null, 0, null, "test", null, null,
                List.of(), 0), dir.resolve("store")).staged();
    }

    private static PretrainConfig fromImport(Path work, Path resume, Path init, float lr, int totalSteps, int maxSteps,
            String objective) {
        // --layers/--hidden/--heads (here L1-H16) do not apply with --init: the import's architecture is kept.
        return new PretrainConfig(SharedData.locate(), work, resume, BertConfig.of(6, 1, 16, 2), 2, 50, 50, 512, 32, lr, 1,
                totalSteps, maxSteps, 0, 60, 1, 42L, 40, "cpu", 0, 0f, 0, objective, 0, init);
    }

    @Test
    void continuesTheImportedEncoderWithItsArchitectureVocabularyAndTokenizer(@TempDir Path dir) throws Exception {
        Path imported = importFixture(dir);
        StartingPoint importStart = StartingPoint.read(imported);

        // At a negligible learning rate the checkpoint's encoder is the import's: the weights were loaded, not drawn.
        Path still = dir.resolve("still");
        PretrainState s = new Pretrainer(fromImport(still, null, imported, 1e-12f, 2, 0, null)).run();
        assertEquals(2, s.step());
        assertEquals(importStart.architecture(), s.architecture());
        assertEquals(TokenizerVariant.HF_BERT_BASIC, s.tokenizer());
        assertEquals(PretrainCheckpoint.vocabSha256(importStart.vocabulary()), s.vocabSha256());
        assertEquals(ArtifactFiles.sha256(imported.resolve(PretrainedEncoder.ENCODER)), s.initialisedFrom().encoderSha256());
        StartingPoint continued = StartingPoint.read(still);
        assertEquals(TokenizerVariant.HF_BERT_BASIC, continued.tokenizer(), "fine-tuning reads the corpus as the import did");
        Map<String, float[]> before = StartWeights.of(importStart);
        Map<String, float[]> after = StartWeights.of(continued);
        int compared = 0;
        for (Map.Entry<String, float[]> e : before.entrySet()) {
            if (e.getKey().startsWith("encoder_")) {
                assertArrayEquals(e.getValue(), after.get(e.getKey()), 1e-6f, e.getKey());
                compared++;
            }
        }
        assertTrue(compared > 10, "encoder parameters compared: " + compared);

        // At a real learning rate masked LM moves it, and the run resumes with the tokenizer its state names.
        Path moved = dir.resolve("moved");
        assertEquals(3, new Pretrainer(fromImport(moved, null, imported, 1e-3f, 5, 3, null)).run().step());
        PretrainState resumed = new Pretrainer(fromImport(moved, moved, null, 1e-3f, 5, 0, null)).run();
        assertEquals(5, resumed.step());
        assertEquals(TokenizerVariant.HF_BERT_BASIC, resumed.tokenizer());
        assertEquals(s.initialisedFrom(), resumed.initialisedFrom(), "the state keeps what the run started from");
        Map<String, float[]> trained = StartWeights.of(StartingPoint.read(moved));
        String someLayer = before.keySet().stream().filter(k -> k.startsWith("encoder_layer0_")).findFirst().orElseThrow();
        assertNotEquals(before.get(someLayer)[0], trained.get(someLayer)[0], "five masked-LM steps at 1e-3 change " + someLayer);
    }

    @Test
    void initIsRefusedWithResumeAndWithElectra(@TempDir Path dir) throws Exception {
        Path imported = importFixture(dir);
        Path work = dir.resolve("work");
        new Pretrainer(fromImport(work, null, imported, 1e-3f, 2, 0, null)).run();
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> new Pretrainer(fromImport(work, work, imported, 1e-3f, 2, 0, null)).run());
        assertTrue(both.getMessage().contains("give one of them"), both.getMessage());
        IllegalArgumentException rtd = assertThrows(IllegalArgumentException.class,
                () -> new Pretrainer(fromImport(dir.resolve("rtd"), null, imported, 1e-3f, 2, 0, PretrainState.RTD)).run());
        assertTrue(rtd.getMessage().contains("--objective rtd"), rtd.getMessage());
    }
}
