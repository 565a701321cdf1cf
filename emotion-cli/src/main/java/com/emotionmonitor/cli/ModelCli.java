package com.emotionmonitor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/emotion model}: the model store and the running job's model, from the command line. */
@Command(
        name = "model",
        mixinStandardHelpOptions = true,
        description = "List, publish, import (Hugging Face checkpoints) and hot-swap model versions. 'activate' and 'rollback' send a ModelCommand to the "
                + "running job's model-control topic; every TaskManager loads and verifies the version in the "
                + "background and the job switches to it without a restart, or refuses it (reported on the model-status "
                + "topic) and keeps the current one. 'shadow' and 'canary' try a candidate beside the serving version on "
                + "real traffic first (compared only, or labelling a share of the posts), 'promote' makes it serve. "
                + "'import-hf' turns a Hugging Face BERT checkpoint into a version.",
        subcommands = {ModelListCommand.class, ModelPublishCommand.class, ModelImportHfCommand.class, ModelActivateCommand.class,
            ModelRollbackCommand.class, ModelShadowCommand.class, ModelCanaryCommand.class, ModelPromoteCommand.class,
            ModelSignCommand.class, ModelKeygenCommand.class})
public final class ModelCli implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
