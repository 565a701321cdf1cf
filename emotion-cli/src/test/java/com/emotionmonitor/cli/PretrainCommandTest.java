package com.emotionmonitor.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The refusals of {@code bin/emotion train pretrain --init}, each before the corpus is read. */
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
}
