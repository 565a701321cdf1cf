package com.emotionmonitor.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What {@code model shadow}, {@code canary} and {@code promote} refuse before anything is sent (exit 2, one line). */
class ModelRolloutCommandsTest {

    /** Nothing listens there: a command that got past its checks would fail to send instead (exit 1). */
    private static final String[] NOWHERE = {"--bootstrap-servers", "127.0.0.1:1"};

    @Test
    void argumentsThatCannotMakeACommandAreRefusedWithTheReason() {
        assertTrue(run("model", "canary", "m", "v2").stderr().contains("needs --fraction"));
        assertTrue(run("model", "canary", "m", "v2", "--fraction", "0").stderr().contains("--fraction must be in (0, 1]"));
        assertTrue(run("model", "shadow", "m", "v2", "--fraction", "1.5").stderr().contains("--fraction must be in (0, 1]"));
        assertTrue(run("model", "shadow", "m").stderr().contains("needs the VERSION to shadow (or --stop)"));
        assertTrue(run("model", "shadow", "m", "v2", "--stop").stderr().contains("give no VERSION"));
        assertTrue(run("model", "shadow", "m", "v2", "--model-store", "/nonexistent-store").stderr().contains("does not exist"),
                "the local checks run before sending");
    }

    @Test
    void theHelpNamesTheRolloutCommands() {
        String help = CliRun.run(0, "model", "--help").stdout();
        assertTrue(help.contains("shadow") && help.contains("canary") && help.contains("promote"), help);
    }

    private static CliRun run(String... args) {
        String[] all = new String[args.length + NOWHERE.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(NOWHERE, 0, all, args.length, NOWHERE.length);
        return CliRun.run(2, all);
    }
}
