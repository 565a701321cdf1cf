package com.emotionmonitor.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --help} prints the usage and exits 0 on every command, including those with required options and their own
 * {@code --version} (the model version), where picocli's standard help mixin used to report the missing options.
 */
class HelpTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"model import-hf", "model import-tf", "model publish", "train publish-pretrained", "model activate",
        "train finetune", "evaluate"})
    void helpPrintsTheUsageAndExitsZero(String command) {
        String[] words = (command + " --help").split(" ");
        CliRun run = CliRun.run(0, words);
        assertTrue(run.stdout().contains("Usage: emotion " + command.split(" ")[0]), run.stdout());
        assertFalse(run.stderr().contains("Missing required"), run.stderr());
    }
}
