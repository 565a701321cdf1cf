package com.emotionmonitor.cli;

import com.emotionmonitor.model.ngram.WeightFormat;
import com.emotionmonitor.train.workflow.FineTuneWorkflow;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/emotion train finetune}: fine-tunes from a pretrained encoder (or from scratch), selects the step (and
 * the n-gram weight) on a held-out tenth of each training file unless told otherwise, reports every eval set, and
 * optionally publishes the result to the model store. Parses the flags and prints; the recipe is {@link FineTuneWorkflow}.
 */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = "Fine-tune the emotion classifier; the step and the n-gram weight are chosen on a held-out tenth of"
                + " each --train file (or on --selection), never on an --eval file unless named as --selection.")
public final class FineTuneCommand implements Callable<Integer> {

    @Option(names = "--pretrained", description = "Pretrained encoder (checkpoint, work dir, or model-store version), a"
            + " distillation work dir (train distill), or a published classifier version: with the last two the whole"
            + " classifier (its BERT, head included) is the start.")
    Path pretrained;

    @Option(names = "--keep-layers", defaultValue = "0", description = "With --pretrained: keep only its lower N layers"
            + " (embeddings, layers 0..N-1, final norm, pooler and head as stored), e.g. an L2 classifier cut from an L4"
            + " encoder; 0 = all (default).")
    int keepLayers;

    @Option(names = "--train", description = "Training files (repeatable; default usual_train, none when only --train-nlpcc"
            + " files are given: an intermediate task, then fine-tune from its published version).") List<Path> train;
    @Option(names = "--train-nlpcc", description = "Extra training files labelled with the NLPCC 2014 / CLUEEmotion2020 tags, "
            + "mapped onto the six classes (repeatable; see LabelScheme.NLPCC).") List<Path> trainNlpcc;
    @Option(names = "--selection", description = "Select on this file instead of hold-outs (a separate dev set; an --eval"
            + " file named here reports an optimistic figure, and the run says so).") Path selection;
    @Option(names = "--select-on-holdout", description = "Hold out one tenth of this --train (or --train-nlpcc) file "
            + "(HoldOutSplit: by content hash, duplicates together), train without it and select on it. Repeat it for a hold-out"
            + " of each domain: selection then maximises the mean of their macro-F1. Default, without it or --selection: a"
            + " tenth of every --train file (of every --train-nlpcc file when there are no --train files).")
    List<Path> selectOnHoldout;
    @Option(names = "--eval", description = "Report files (repeatable; default usual_eval and virus_eval).") List<Path> eval;

    @Option(names = "--layers", defaultValue = "4", description = "From scratch only.") int layers;
    @Option(names = "--hidden", defaultValue = "256", description = "From scratch only.") int hidden;
    @Option(names = "--heads", defaultValue = "4", description = "From scratch only.") int heads;
    @Option(names = "--epochs", defaultValue = "4") int epochs;
    @Option(names = "--lr", defaultValue = "1e-4") float lr;
    @Option(names = "--warmup", defaultValue = "0.1", description = "Warm-up fraction of all steps.") float warmup;
    @Option(names = "--dropout", defaultValue = "0.1") float dropout;
    @Option(names = "--weight-decay", defaultValue = "0.01") float weightDecay;
    @Option(names = "--max-tokens", defaultValue = "2048") int maxTokens;
    @Option(names = "--max-batch", defaultValue = "64") int maxBatch;
    @Option(names = "--class-weighting", defaultValue = "inverse-sqrt", description = "none, inverse-sqrt or inverse.") String weighting;
    @Option(names = "--eval-every", defaultValue = "0", description = "Select every N steps (0 = per epoch).") int evalEvery;
    @Option(names = "--max-minutes", defaultValue = "0", description = "Stop after N minutes of this run (0 = no limit); the"
            + " best weights so far are reported (and published), and --resume continues from there.") double maxMinutes;
    @Option(names = "--max-steps", defaultValue = "0", description = "Stop after N steps of this run (0 = no limit), as"
            + " --max-minutes does.") int maxSteps;
    @Option(names = "--checkpoint-every", defaultValue = "0", description = "Also checkpoint every N steps (0: only when the run"
            + " stops early: --max-minutes, --max-steps or SIGTERM). A checkpoint holds the weights, the optimizer's moments,"
            + " the data position and the best weights so far.") int checkpointEvery;
    @Option(names = "--resume", description = "Continue the work dir's checkpoint: same training and selection data, vocabulary,"
            + " seed, epochs and schedule, or it is refused with the reason (without dropout the steps are those of an"
            + " uninterrupted run). SIGTERM or Ctrl-C checkpoints and exits without publishing.") boolean resume;
    @Option(names = "--seed", defaultValue = "13") long seed;
    @Option(names = "--device", defaultValue = "auto") String device;
    @Option(names = "--work-dir", description = "Default: work/finetune.") Path workDir;

    @Option(names = "--ngram", description = "Also train a character n-gram model on the same data and serve the mix "
            + "(weight chosen on --selection).") boolean ngram;
    @Option(names = "--ngram-c", defaultValue = "2", description = "Inverse L2 strength of the n-gram model.") double ngramC;

    @Option(names = "--weights", defaultValue = "f32", description = "Stored precision of the BERT weights: f32 (as trained) or"
            + " f16 (half the size; rounded before the final reports and the n-gram mix, so every figure is the stored"
            + " model's). Default ${DEFAULT-VALUE}.") String weights;
    @Option(names = "--publish-version", description = "Publish the best weights as model-store/<name>/<version>.") String publishVersion;
    @Option(names = "--name", defaultValue = "weibo-emotion") String name;
    @Option(names = "--store", description = "Model store root (default: model-store/).") Path store;

    @Override
    public Integer call() throws Exception {
        Path smp = ProjectPaths.sharedData().resolve("smp2020-ewect");
        WeightFormat weightFormat;
        try {
            weightFormat = WeightFormat.parse(weights);
        } catch (IllegalArgumentException e) {
            System.err.println("train finetune: --weights: " + e.getMessage());
            return 2;
        }
        List<Path> nlpccFiles = trainNlpcc != null ? trainNlpcc : List.of();
        // usual_train by default, unless the run trains on NLPCC-labelled files alone (an intermediate task).
        List<Path> trainFiles = train != null ? train : trainNlpcc != null ? List.of() : List.of(smp.resolve("usual_train.jsonl"));
        if (selection != null && selectOnHoldout != null) {
            System.err.println("train finetune: give --selection or --select-on-holdout, not both");
            return 2;
        }
        // Never the eval files by default: their figures are what the run reports, so they must not pick its step.
        List<Path> holdOuts = selectOnHoldout != null ? selectOnHoldout
                : selection != null ? List.of()
                : (trainFiles.isEmpty() ? nlpccFiles : trainFiles).stream().distinct().toList();
        for (Path h : holdOuts) {
            if (!trainFiles.contains(h) && !nlpccFiles.contains(h)) {
                System.err.println("train finetune: --select-on-holdout " + h + " is not one of the --train or --train-nlpcc files");
                return 2;
            }
        }
        Path selectionFile = !holdOuts.isEmpty() ? holdOuts.get(0) : selection;
        List<Path> evalFiles = eval != null ? eval : List.of(smp.resolve("usual_eval.jsonl"), smp.resolve("virus_eval.jsonl"));
        if (selection != null && evalFiles.stream().anyMatch(f -> sameFile(f, selection))) {
            System.err.println("train finetune: warning: --selection " + selection + " is also an --eval file: it picks the step"
                    + " and the n-gram weight, so its reported figure is optimistic, not an estimate");
        }
        trainFiles.forEach(f -> ProjectPaths.requireFile(f, "--train"));
        nlpccFiles.forEach(f -> ProjectPaths.requireFile(f, "--train-nlpcc"));
        ProjectPaths.requireFile(selectionFile, "--selection");
        evalFiles.forEach(f -> ProjectPaths.requireFile(f, "--eval"));
        if (pretrained != null) {
            ProjectPaths.requireDirectory(pretrained, "--pretrained");
        } else if (keepLayers != 0) {
            System.err.println("train finetune: --keep-layers " + keepLayers + " needs --pretrained: it cuts the lower layers"
                    + " of a starting encoder or classifier");
            return 2;
        }
        FineTuneWorkflow.Publish publish = publishVersion == null ? null : new FineTuneWorkflow.Publish(
                store != null ? store : ProjectPaths.modelStore(), name, publishVersion,
                "bin/emotion train finetune " + String.join(" ", reproduce(holdOuts)));
        FineTuneWorkflow.Request request = new FineTuneWorkflow.Request(pretrained, keepLayers, trainFiles, nlpccFiles, selectionFile,
                holdOuts, evalFiles, layers, hidden, heads, epochs, lr, warmup, dropout, weightDecay, maxTokens,
                maxBatch, weighting, evalEvery, maxMinutes, seed, device,
                workDir != null ? workDir : ProjectPaths.work().resolve("finetune"), ngram, ngramC, publish,
                weightFormat, new FineTuneWorkflow.Checkpointing(checkpointEvery, maxSteps, resume));
        FineTuneWorkflow workflow = new FineTuneWorkflow(System.out);
        // The first signal lets the run select, checkpoint and return (a selection pass can take minutes on a large encoder).
        StopSignals.install("train finetune", java.time.Duration.ofMinutes(10), workflow::requestStop);
        FineTuneWorkflow.Result result = workflow.run(request);
        System.out.println(new ObjectMapper().writeValueAsString(result.summary()));
        return 0;
    }

    private static boolean sameFile(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    /** @param holdOuts the hold-outs selected on, given or by default: the command names them either way */
    private List<String> reproduce(List<Path> holdOuts) {
        List<String> a = new ArrayList<>();
        if (pretrained != null) {
            a.add("--pretrained " + pretrained);
        }
        if (keepLayers > 0) {
            a.add("--keep-layers " + keepLayers);
        }
        if (train != null) {
            train.forEach(t -> a.add("--train " + t));
        }
        if (trainNlpcc != null) {
            trainNlpcc.forEach(t -> a.add("--train-nlpcc " + t));
        }
        if (selection != null) {
            a.add("--selection " + selection);
        }
        holdOuts.forEach(h -> a.add("--select-on-holdout " + h));
        a.add("--epochs " + epochs);
        if (evalEvery > 0) {
            a.add("--eval-every " + evalEvery);
        }
        if (maxMinutes > 0) {
            a.add("--max-minutes " + maxMinutes);    // says the run was time-limited (where it stopped depends on the machine)
        }
        if (maxSteps > 0) {
            a.add("--max-steps " + maxSteps);
        }
        if (resume) {
            a.add("--resume");    // the published run spanned sittings: its training_seconds add them up
        }
        a.add("--lr " + lr);
        a.add("--class-weighting " + weighting);
        a.add("--seed " + seed);
        if (ngram) {
            a.add("--ngram --ngram-c " + ngramC);
        }
        if (!weights.equals("f32")) {
            a.add("--weights " + weights);
        }
        return a;
    }
}
