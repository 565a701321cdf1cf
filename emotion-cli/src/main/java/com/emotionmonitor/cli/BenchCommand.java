package com.emotionmonitor.cli;

import picocli.CommandLine.Command;

/** {@code bin/emotion bench text|model|pipeline}: measurements as programs, never as timed tests. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: text front end, batched model inference, the pipeline end to end, the dashboard under load.",
        subcommands = {BenchTextCommand.class, BenchModelCommand.class, BenchPipelineCommand.class, BenchDashboardCommand.class})
public final class BenchCommand implements Runnable {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
