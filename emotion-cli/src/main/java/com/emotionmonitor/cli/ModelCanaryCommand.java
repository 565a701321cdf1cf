package com.emotionmonitor.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bin/emotion model canary NAME VERSION --fraction F} / {@code model canary NAME --stop}. */
@Command(
        name = "canary",
        mixinStandardHelpOptions = true,
        description = "Let VERSION label and stamp --fraction of the posts instead of the serving version: a post is "
                + "chosen by a hash of its id, so it gets the same version on every subtask and after any restart or "
                + "restore; the rest stay with the serving version. 'model promote' makes it serve every post; --stop "
                + "ends it. Last line: one JSON object describing the command sent.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:sent (and, with --wait, running on every subtask, or stopped everywhere)",
            "1:refused by the job, not confirmed within --wait, or not sent",
            "2:invalid arguments or the version fails the local checks"})
public final class ModelCanaryCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "Model name (model-store/<name>/).")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION", description = "Published version to try (not with --stop).")
    String version;

    @Option(names = "--fraction", paramLabel = "F", description = "Share of the posts the canary labels, in (0, 1].")
    Double fraction;

    @Option(names = "--stop", description = "End the running canary (or shadow) instead.")
    boolean stop;

    @Mixin ModelControlOptions control;

    @Override
    public Integer call() throws Exception {
        if (!stop && fraction == null) {
            throw new IllegalArgumentException("model canary needs --fraction F, the share of the posts VERSION labels (e.g. 0.05)");
        }
        return RolloutArguments.send(control, "canary", name, version, stop, stop ? 0 : fraction, ModelSwitch.Step::canary);
    }
}
