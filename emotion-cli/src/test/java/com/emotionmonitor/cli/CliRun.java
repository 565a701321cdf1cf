package com.emotionmonitor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs {@code bin/emotion ARGS} in-process as main() does (bad input: one line on stderr, exit code 2). */
record CliRun(String stdout, String stderr) {

    /** Runs the command, asserts its exit code, and returns what it printed. */
    static CliRun run(int expectedExit, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = EmotionCli.commandLine().setExecutionExceptionHandler(EmotionCli::reportError).execute(args);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        CliRun run = new CliRun(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        assertEquals(expectedExit, exit, run.stderr());
        return run;
    }
}
