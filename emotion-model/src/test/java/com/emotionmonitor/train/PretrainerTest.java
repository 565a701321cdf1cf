package com.emotionmonitor.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.model.OfflineDefaults;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainerTest {

    static {
        OfflineDefaults.apply();
    }

    private static PretrainConfig tiny(Path work, Path resume, int maxSteps) {
        return new PretrainConfig(TestData.sharedData(), work, resume, BertConfig.of(6, 1, 16, 2), 2, 50, 50, 512, 32,
                1e-3f, 2, 6, maxSteps, 0, 60, 1, 42L, 40, "cpu");
    }

    @Test
    void checkpointsAndResumesOnTheSameSchedule(@TempDir Path work) throws Exception {
        PretrainState first = new Pretrainer(tiny(work, null, 3)).run();
        assertEquals(3, first.step());
        Path checkpoint = work.resolve(PretrainCheckpoint.LATEST);
        for (String f : new String[] {PretrainCheckpoint.ENCODER, PretrainCheckpoint.HEAD, PretrainCheckpoint.VOCAB, PretrainCheckpoint.STATE}) {
            assertTrue(Files.isRegularFile(checkpoint.resolve(f)), f);
        }
        assertTrue(first.tokensSeen() > 0);
        assertTrue(Double.isFinite(first.lastLoss()));

        PretrainState second = new Pretrainer(tiny(work, work, 0)).run();
        assertEquals(6, second.step(), "the resumed run continues to the schedule's end");
        assertEquals(first.vocabSha256(), second.vocabSha256(), "a resumed run keeps its vocabulary");
        assertTrue(Files.isDirectory(work.resolve(PretrainCheckpoint.LATEST + ".prev")));
        assertFalse(Files.exists(work.resolve(PretrainCheckpoint.LATEST + ".tmp")));
    }

    @Test
    void refusesToResumeFromAnIncompleteCheckpoint(@TempDir Path work) throws Exception {
        Files.createDirectories(work.resolve("checkpoint"));
        Files.writeString(work.resolve("checkpoint/state.json"), "{}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PretrainCheckpoint.read(work));
        assertTrue(e.getMessage().contains("encoder.params"), e.getMessage());
    }

    @Test
    void corpusNeverContainsEvaluationFiles() {
        for (Path p : PretrainCorpus.discoverFiles(TestData.sharedData())) {
            String name = p.getFileName().toString();
            assertFalse(name.startsWith("usual_eval") || name.startsWith("virus_eval"), name);
        }
    }
}
