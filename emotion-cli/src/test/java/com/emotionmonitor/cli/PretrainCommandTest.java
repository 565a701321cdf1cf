package com.emotionmonitor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The refusals of {@code bin/emotion train pretrain --init}, each before the corpus is read, and where a resumed run
 * writes its checkpoints.
 */
class PretrainCommandTest {

    private static final String DATA = com.emotionmonitor.data.SharedData.locate().toString();

    @Test
    void aMissingInitEncoderIsNamed(@TempDir Path dir) {
        String err = CliRun.run(2, "train", "pretrain", "--data", DATA, "--init", dir.resolve("absent").toString(), "--work-dir",
                dir.resolve("work").toString()).stderr();
        assertTrue(err.contains("--init") && err.contains(dir.resolve("absent").toString()), err);
    }

    @Test
    void initAndResumeTogetherAreRefused(@TempDir Path dir) throws Exception {
        Path init = Files.createDirectories(dir.resolve("encoder"));
        Path work = Files.createDirectories(dir.resolve("work"));
        String err = CliRun.run(2, "train", "pretrain", "--data", DATA, "--init", init.toString(), "--resume", work.toString(), "--work-dir",
                work.toString()).stderr();
        assertTrue(err.contains("--init starts a fresh run") && err.contains("give one of them"), err);
    }

    @Test
    void aResumedWorkDirGoesOnInItselfWithoutWorkDir(@TempDir Path dir) throws Exception {
        Path work = dir.resolve("run");
        String[] tiny = {"--data", DATA, "--limit-per-file", "30", "--layers", "1", "--hidden", "32", "--heads", "2",
            "--min-word-count", "1", "--max-words", "50", "--max-tokens", "256", "--warmup-steps", "1", "--total-steps", "4",
            "--max-steps", "2", "--checkpoint-minutes", "0"};
        CliRun.run(0, concat(new String[] {"train", "pretrain", "--work-dir", work.toString()}, tiny));
        assertEquals(2, stepOf(work));
        String err = CliRun.run(0, concat(new String[] {"train", "pretrain", "--resume", work.toString()}, tiny)).stderr();
        assertTrue(err.contains("checkpoints go to " + work), err);
        assertEquals(4, stepOf(work));
        // A published encoder or a bare checkpoint dir is not a work dir: those continue in work/pretrain.
        assertEquals(ProjectPaths.work().resolve("pretrain"), PretrainCommand.defaultWorkDir(work.resolve("checkpoint")));
        assertEquals(ProjectPaths.work().resolve("pretrain"), PretrainCommand.defaultWorkDir(null));
    }

    private static int stepOf(Path work) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(work.resolve("checkpoint/state.json").toFile())
                .get("step").asInt();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
