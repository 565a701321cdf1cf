package com.emotionmonitor.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import picocli.CommandLine;
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

    /** A stray '%' in a description makes picocli warn and print the raw text: every command's usage must format. */
    @Test
    void everyUsageMessageFormatsWithoutWarnings() {
        List<String> warned = new ArrayList<>();
        List<CommandLine> all = new ArrayList<>(List.of(EmotionCli.commandLine()));
        PrintStream err = System.err;
        try {
            for (int i = 0; i < all.size(); i++) {
                CommandLine c = all.get(i);
                all.addAll(c.getSubcommands().values().stream().filter(s -> s.getParent() == c).distinct().toList());
                ByteArrayOutputStream captured = new ByteArrayOutputStream();
                System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
                String usage = c.getUsageMessage();
                String text = captured.toString(StandardCharsets.UTF_8);
                if (text.contains("WARN") || usage.contains("%n")) {
                    warned.add(c.getCommandSpec().qualifiedName() + ": " + text.strip());
                }
            }
        } finally {
            System.setErr(err);
        }
        assertTrue(all.size() > 20, "walked " + all.size() + " commands");
        assertTrue(warned.isEmpty(), String.join("\n", warned));
    }
}
