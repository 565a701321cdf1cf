package com.emotionmonitor.cli;

import com.emotionmonitor.schema.ModelAction;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code bin/emotion model activate NAME VERSION}: switch the running job to a published version. */
@Command(
        name = "activate",
        mixinStandardHelpOptions = true,
        description = "Send ACTIVATE NAME/VERSION to the running job (Avro ModelCommand on the model-control topic) with "
                + "the version's directory in the model store and the SHA-256 of its manifest.json. Checks the version "
                + "locally first (checksums, labels, max length, preprocessing). Last line: one JSON object describing "
                + "the command sent.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:sent (and, with --wait, ACTIVE on every subtask)",
            "1:refused by the job, not confirmed within --wait, or not sent",
            "2:invalid arguments or the version fails the local checks"})
public final class ModelActivateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "Model name (model-store/<name>/).")
    String name;

    @Parameters(index = "1", paramLabel = "VERSION", description = "Published version to serve.")
    String version;

    @Mixin ModelControlOptions control;

    @Override
    public Integer call() throws Exception {
        return ModelSwitch.run(control, ModelAction.ACTIVATE, name, version, System.out, System.err);
    }
}
