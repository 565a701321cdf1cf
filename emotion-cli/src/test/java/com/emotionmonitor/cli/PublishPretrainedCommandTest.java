package com.emotionmonitor.cli;

import com.emotionmonitor.data.SharedData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.model.nn.BlockWeights;
import com.emotionmonitor.store.ModelManifest;
import com.emotionmonitor.model.OfflineDefaults;
import com.emotionmonitor.model.ngram.WeightFormat;
import com.emotionmonitor.train.PretrainCheckpoint;
import com.emotionmonitor.train.PretrainConfig;
import com.emotionmonitor.train.Pretrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/emotion train publish-pretrained} on a two-step tiny pretraining run, in both weight formats. */
class PublishPretrainedCommandTest {

    static {
        OfflineDefaults.apply();
    }

    @TempDir static Path work;

    @BeforeAll
    static void tinyPretraining() throws Exception {
        new Pretrainer(new PretrainConfig(SharedData.locate(), work, null, BertConfig.of(6, 1, 16, 2), 2, 50, 50, 512, 32,
                1e-3f, 1, 4, 2, 0, 60, 1, 42L, 40, "cpu", 0, 0f, 0)).run();
    }

    @Test
    void publishesFloat32AsTrainedAndFloat16AtHalfTheSize(@TempDir Path store) throws Exception {
        CliRun.run(0, "train", "publish-pretrained", "--from", work.toString(), "--version", "full", "--store", store.toString());
        CliRun.run(0, "train", "publish-pretrained", "--from", work.toString(), "--version", "half", "--store", store.toString(),
                "--weights", "f16");
        Path full = store.resolve("weibo-bert-mlm").resolve("full");
        Path half = store.resolve("weibo-bert-mlm").resolve("half");
        ModelManifest m = ArtifactFiles.verify(half);
        assertEquals("f16", m.training().get("weights_format"));
        assertEquals("f32", ArtifactFiles.verify(full).training().get("weights_format"));
        assertEquals(WeightFormat.F16, BlockWeights.formatOf(half.resolve(PretrainCheckpoint.ENCODER)));
        assertEquals(WeightFormat.F32, BlockWeights.formatOf(full.resolve(PretrainCheckpoint.ENCODER)));
        assertTrue(Files.size(half.resolve(PretrainCheckpoint.ENCODER)) < 0.6 * Files.size(full.resolve(PretrainCheckpoint.ENCODER)));
        assertEquals(2, PretrainCheckpoint.read(half).state().step(), "the published copy reads as a resume point");
    }

    @Test
    void anUnknownWeightFormatIsRefused(@TempDir Path store) {
        String err = CliRun.run(2, "train", "publish-pretrained", "--from", work.toString(), "--version", "x", "--store", store.toString(),
                "--weights", "bf16").stderr();
        assertTrue(err.contains("weight format must be f32 or f16: 'bf16'"), err);
        assertTrue(Files.notExists(store.resolve("weibo-bert-mlm").resolve("x")));
    }
}
