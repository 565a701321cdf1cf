package com.emotionmonitor.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bin/emotion model shadow NAME VERSION [--fraction F]} / {@code model shadow NAME --stop}. */
@Command(
        name = "shadow",
        mixinStandardHelpOptions = true,
        description = "Run VERSION as a shadow of the serving version: loaded and verified like any activation, it then "
                + "labels the same posts (all, or --fraction of them chosen by post id hash) in the same micro-batch "
                + "worker, without changing any EmotionEvent; per window and scope the job writes a ModelComparison "
                + "(agreement, 6x6 confusion, both label distributions, the most confident disagreements) to its "
                + "model-comparisons topic. A shadow doubles inference on its posts. 'model promote' makes it serve; "
                + "--stop drops it. Kept in the job's state: a restored job runs it again. Last line: one JSON object "
                + "describing the command sent.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:sent (and, with --wait, running on every subtask, or stopped everywhere)",
            "1:refused by the job, not confirmed within --wait, or not sent",
            "2:invalid arguments or the version fails the local checks"})
public final class ModelShadowCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "Model name (model-store/<name>/).")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION", description = "Published version to shadow (not with --stop).")
    String version;

    @Option(names = "--fraction", defaultValue = "1.0", paramLabel = "F",
            description = "Share of the posts the shadow labels, in (0, 1] (default ${DEFAULT-VALUE}: every post).")
    double fraction;

    @Option(names = "--stop", description = "Drop the running shadow (or canary) instead.")
    boolean stop;

    @Mixin ModelControlOptions control;

    @Override
    public Integer call() throws Exception {
        return RolloutArguments.send(control, "shadow", name, version, stop, fraction, ModelSwitch.Step::shadow);
    }
}
