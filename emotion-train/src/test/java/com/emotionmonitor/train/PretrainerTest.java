package com.emotionmonitor.train;

import com.emotionmonitor.data.SharedData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.model.nn.BlockWeights;
import com.emotionmonitor.model.OfflineDefaults;
import com.emotionmonitor.model.ngram.WeightFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainerTest {

    static {
        OfflineDefaults.apply();
    }

    private static PretrainConfig tiny(Path work, Path resume, int maxSteps) {
        return tiny(work, resume, maxSteps, 0);
    }

    private static PretrainConfig tiny(Path work, Path resume, int maxSteps, int endAt) {
        return new PretrainConfig(SharedData.locate(), work, resume, BertConfig.of(6, 1, 16, 2), 2, 50, 50, 512, 32,
                1e-3f, 2, 6, maxSteps, 0, 60, 1, 42L, 40, "cpu", endAt, 0f, 0);
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
        assertEquals(0, second.epoch(), "six tiny batches do not use up the first epoch");
        assertEquals(6, second.batchCursor(), "a finished run records where it stopped, so another pass continues the order");
        assertTrue(Files.isDirectory(work.resolve(PretrainCheckpoint.LATEST + ".prev")));
        assertFalse(Files.exists(work.resolve(PretrainCheckpoint.LATEST + ".tmp")));
    }

    @Test
    void aCheckpointStoredInHalfPrecisionIsHalfTheSizeAndResumes(@TempDir Path work, @TempDir Path half, @TempDir Path next)
            throws Exception {
        new Pretrainer(tiny(work, null, 3)).run();
        Path full = work.resolve(PretrainCheckpoint.LATEST);
        PretrainCheckpoint.read(work).copyTo(half, WeightFormat.F16);
        assertEquals(WeightFormat.F16, BlockWeights.formatOf(half.resolve(PretrainCheckpoint.ENCODER)));
        assertTrue(Files.size(half.resolve(PretrainCheckpoint.ENCODER)) < 0.6 * Files.size(full.resolve(PretrainCheckpoint.ENCODER)));
        assertEquals(Files.readString(full.resolve(PretrainCheckpoint.STATE)), Files.readString(half.resolve(PretrainCheckpoint.STATE)));
        PretrainState resumed = new Pretrainer(tiny(next, half, 0)).run();
        assertEquals(6, resumed.step(), "the half-precision copy resumes like the original");
    }

    @Test
    void aResumedRunCanBeReplannedToEndSoonerAndStaysReplanned(@TempDir Path work) throws Exception {
        new Pretrainer(tiny(work, null, 3)).run();
        PretrainState replanned = new Pretrainer(tiny(work, work, 1, 5)).run();
        assertEquals(4, replanned.step());
        assertEquals(5, replanned.totalSteps(), "the checkpoint records the new end");
        assertEquals(3, replanned.shortenedFromStep());
        PretrainState done = new Pretrainer(tiny(work, work, 0)).run();
        assertEquals(5, done.step(), "a later resume without --end-at keeps the re-planned end");
        assertEquals(3, PretrainCheckpoint.read(work).state().shortenedFromStep());
    }

    @Test
    void aFinishedRunCanBeRewarmedForAnotherPassAndKeepsThatPlan(@TempDir Path work) throws Exception {
        new Pretrainer(tiny(work, null, 0)).run();
        PretrainConfig rewarm = new PretrainConfig(SharedData.locate(), work, work, BertConfig.of(6, 1, 16, 2), 2, 50, 50, 512, 32,
                1e-3f, 2, 6, 2, 0, 60, 1, 42L, 40, "cpu", 10, 5e-4f, 2);
        PretrainState climbed = new Pretrainer(rewarm).run();
        assertEquals(8, climbed.step());
        assertEquals(10, climbed.totalSteps());
        assertEquals(6, climbed.shortenedFromStep());
        assertEquals(5e-4f, climbed.schedule(0).valueAt(7), 1e-9f, "at the new peak after the two-step climb");
        PretrainState again = new Pretrainer(rewarm).run();
        assertEquals(10, again.step());
        assertEquals(6, again.shortenedFromStep(), "the same re-warm command given again continues the plan, no new climb");
        PretrainState done = new Pretrainer(tiny(work, work, 0, 12)).run();
        assertEquals(12, done.step(), "a later --end-at re-plans from the re-warmed schedule");
        assertEquals(10, PretrainCheckpoint.read(work).state().shortenedFromStep());
    }

    @Test
    void aCheckpointFromBeforeRewarmingReadsAsNotRewarmed() throws Exception {
        // A real state.json written before the re-warm fields existed: that of weibo-bert-mlm/2026-11-22-step25960,
        // kept as a test resource since the version itself left the model store (git history has it).
        PretrainState published;
        try (java.io.InputStream in = PretrainerTest.class.getResourceAsStream("state-before-rewarm.json")) {
            published = new com.fasterxml.jackson.databind.ObjectMapper().readValue(in, PretrainState.class); // as PretrainCheckpoint reads it
        }
        assertEquals(0, published.rewarmSteps());
        assertEquals(12679, published.shortenedFromStep());
    }

    @Test
    void refusesToResumeOverAnotherCorpus(@TempDir Path work) throws Exception {
        new Pretrainer(tiny(work, null, 1)).run();
        PretrainConfig fewerRows = new PretrainConfig(SharedData.locate(), work, work, BertConfig.of(6, 1, 16, 2), 2, 50,
                50, 512, 32, 1e-3f, 2, 6, 0, 0, 60, 1, 42L, 30, "cpu", 0, 0f, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Pretrainer(fewerRows).run());
        assertTrue(e.getMessage().contains("not the one it was trained on"), e.getMessage());
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
        for (Path p : PretrainCorpus.discoverFiles(SharedData.locate())) {
            String name = p.getFileName().toString();
            assertFalse(name.startsWith("usual_eval") || name.startsWith("virus_eval"), name);
        }
    }
}
