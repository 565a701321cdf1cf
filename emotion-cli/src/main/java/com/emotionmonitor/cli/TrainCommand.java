package com.emotionmonitor.cli;

import picocli.CommandLine.Command;

/** {@code bin/emotion train pretrain|publish-pretrained|finetune|ngram|route|distill}. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = "Pretrain (masked LM) and fine-tune the emotion BERT; publish versions to the model store.",
        subcommands = {PretrainCommand.class, PublishPretrainedCommand.class, FineTuneCommand.class, NgramCommand.class,
                RouteCommand.class, DistillCommand.class, PseudoLabelCommand.class})
public final class TrainCommand implements Runnable {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
