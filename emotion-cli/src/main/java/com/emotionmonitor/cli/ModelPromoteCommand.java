package com.emotionmonitor.cli;

import com.emotionmonitor.schema.ModelStatus;
import com.emotionmonitor.tools.ModelServingState;
import com.emotionmonitor.tools.ModelStatusReader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code bin/emotion model promote NAME [VERSION]}: the running shadow or canary serves every post. */
@Command(
        name = "promote",
        mixinStandardHelpOptions = true,
        description = "Make the running shadow or canary candidate the serving version (it is loaded already: the switch "
                + "is immediate) and end the rollout. Without VERSION: the candidate the job's model-status topic "
                + "reports. Sent as ACTIVATE with rollout step PROMOTE: the job refuses it unless VERSION is its "
                + "candidate. Last line: one JSON object describing the command sent.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:sent (and, with --wait, ACTIVE on every subtask)",
            "1:refused by the job, not confirmed within --wait, or not sent",
            "2:invalid arguments, no candidate known, or the version fails the local checks"})
public final class ModelPromoteCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "Model name (model-store/<name>/).")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION",
            description = "The candidate to promote (default: the one the model-status topic reports).")
    String version;

    @Mixin ModelControlOptions control;

    @Override
    public Integer call() throws Exception {
        String target = version;
        if (target == null) {
            ModelServingState state = new ModelServingState(name, new ModelStatusReader(control.client(), control.statusTopic).readAll());
            ModelStatus candidate = state.candidate();
            if (candidate == null) {
                throw new IllegalArgumentException("the model-status topic " + control.statusTopic + " reports no shadow or canary of "
                        + name + " running: start one with model shadow or model canary, or give the VERSION");
            }
            target = candidate.getVersion();
            System.err.println("model promote: " + name + " serves " + state.servingVersion() + "; promoting its "
                    + candidate.getRole().name().toLowerCase(java.util.Locale.ROOT) + " " + target);
        }
        return ModelSwitch.run(control, ModelSwitch.Step.promote(), name, target, System.out, System.err);
    }
}
