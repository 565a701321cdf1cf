package com.emotionmonitor.cli;

import com.emotionmonitor.schema.ModelAction;
import com.emotionmonitor.tools.ModelServingState;
import com.emotionmonitor.tools.ModelStatusReader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code bin/emotion model rollback NAME [VERSION]}: return the running job to an earlier version. */
@Command(
        name = "rollback",
        mixinStandardHelpOptions = true,
        description = "Send ROLLBACK NAME/VERSION to the running job. Without VERSION: the version that served before the "
                + "current one, as the job's model-status topic tells. The target is verified by the job like any other "
                + "version. Last line: one JSON object describing the command sent.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:sent (and, with --wait, ACTIVE on every subtask)",
            "1:refused by the job, not confirmed within --wait, or not sent",
            "2:invalid arguments, no earlier version known, or the version fails the local checks"})
public final class ModelRollbackCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "Model name (model-store/<name>/).")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION",
            description = "Version to return to (default: the one that served before the current one).")
    String version;

    @Mixin ModelControlOptions control;

    @Override
    public Integer call() throws Exception {
        String target = version;
        if (target == null) {
            ModelServingState state = new ModelServingState(name,
                    new ModelStatusReader(control.client(), control.statusTopic).readAll());
            target = state.previousVersion();
            if (target == null) {
                throw new IllegalArgumentException("the model-status topic " + control.statusTopic + " names no version of "
                        + name + " that served before " + state.servingVersion() + ": give the VERSION to return to");
            }
            System.err.println("model rollback: " + name + " serves " + state.servingVersion() + "; returning to " + target);
        }
        return ModelSwitch.run(control, ModelAction.ROLLBACK, name, target, System.out, System.err);
    }
}
