package com.emotionmonitor.cli;

import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.train.PretrainCheckpoint;
import com.emotionmonitor.train.PretrainConfig;
import com.emotionmonitor.train.PretrainState;
import com.emotionmonitor.train.Pretrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/emotion train pretrain}: masked-LM pretraining over every non-eval text of the shared data.
 * Hours on a CPU: run it with nohup, it logs progress lines, checkpoints, stops cleanly on SIGTERM.
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Pretraining of the encoder: masked LM (15%% masking: 80/10/10, no NSP) or, with --objective rtd,"
                + " ELECTRA's replaced-token detection (a small generator fills the masked positions, the encoder tells"
                + " original from replaced at every token). Resumable; fine-tune and publish either alike.")
public final class PretrainCommand implements Callable<Integer> {

    @Option(names = "--data", description = "Shared data folder (default: ../shared/data).")
    Path data;

    @Option(names = "--objective", description = "mlm (BERT's masked LM, the default for a fresh run) or rtd (ELECTRA:"
            + " replaced-token detection); a resumed run keeps its checkpoint's.") String objective;

    @Option(names = "--generator-hidden", defaultValue = "0", description = "ELECTRA's generator width (0: a quarter of"
            + " --hidden); its depth is --layers.") int generatorHidden;

    @Option(names = "--work-dir", description = "Checkpoints go here (default: the --resume dir when it is a work dir,"
            + " else work/pretrain).")
    Path workDir;

    @Option(names = "--resume", description = "Continue from a checkpoint dir, a work dir, or a published pretrained encoder.")
    Path resume;

    @Option(names = "--init", description = "Start a fresh masked-LM run from this pretrained encoder (ours, or one imported"
            + " with model import-hf / import-tf) instead of random weights: continued pretraining on this corpus (domain"
            + " adaptation). Its architecture, vocabulary and tokenizer are kept (--layers, --hidden, --heads and the"
            + " vocabulary options do not apply); the masked-LM head starts fresh.")
    Path init;

    @Option(names = "--layers", defaultValue = "4") int layers;
    @Option(names = "--hidden", defaultValue = "256") int hidden;
    @Option(names = "--heads", defaultValue = "4") int heads;
    @Option(names = "--min-char-count", defaultValue = "5") int minCharCount;
    @Option(names = "--min-word-count", defaultValue = "200") int minWordCount;
    @Option(names = "--max-words", defaultValue = "1000") int maxWords;
    @Option(names = "--max-tokens", defaultValue = "2048", description = "Padded tokens per batch.") int maxTokens;
    @Option(names = "--max-batch", defaultValue = "128") int maxBatch;
    @Option(names = "--lr", defaultValue = "5e-4") float lr;
    @Option(names = "--warmup-steps", defaultValue = "1000") int warmup;
    @Option(names = "--total-steps", defaultValue = "60000", description = "Length of the LR schedule.") int totalSteps;
    @Option(names = "--end-at", defaultValue = "0", description = "With --resume: re-plan the schedule so the learning rate"
            + " decays linearly from its current value to 0 at this step (finish annealed inside a time budget).") int endAt;
    @Option(names = "--rewarm-to", defaultValue = "0", description = "With --resume and --end-at: first climb linearly to this"
            + " learning rate over --rewarm-steps, then decay to 0 at --end-at (another pass after an annealed run).") float rewarmTo;
    @Option(names = "--rewarm-steps", defaultValue = "1000", description = "Steps of the re-warm climb (default ${DEFAULT-VALUE}).")
    int rewarmSteps;
    @Option(names = "--max-steps", defaultValue = "0", description = "Stop this run after N steps (0 = no limit).") int maxSteps;
    @Option(names = "--max-minutes", defaultValue = "0", description = "Stop this run after N minutes (0 = no limit).") double maxMinutes;
    @Option(names = "--checkpoint-minutes", defaultValue = "10") double checkpointMinutes;
    @Option(names = "--log-every", defaultValue = "50") int logEvery;
    @Option(names = "--seed", defaultValue = "20200601") long seed;
    @Option(names = "--limit-per-file", defaultValue = "0", description = "Rows per corpus file (0 = all; for smoke runs).") int limitPerFile;
    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, gpu or gpu:N.") String device;

    @Override
    public Integer call() throws Exception {
        Path dataRoot = ProjectPaths.requireDirectory(data != null ? data : ProjectPaths.sharedData(), "data folder");
        Path work = workDir != null ? workDir : defaultWorkDir(resume);
        if (init != null) {
            // With --resume or --objective rtd it is refused by the Pretrainer, before the corpus is read.
            ProjectPaths.requireDirectory(init, "--init");
        }
        if (resume != null) {
            ProjectPaths.requireDirectory(resume, "--resume");
        } else if (Files.exists(work.resolve(PretrainCheckpoint.LATEST))) {
            System.err.println("work dir " + work + " already holds a checkpoint: pass --resume " + work
                    + " to continue it, or choose another --work-dir");
            return 2;
        }
        System.err.println("train pretrain: checkpoints go to " + work);
        if (objective != null && !objective.equals(PretrainState.MLM) && !objective.equals(PretrainState.RTD)) {
            System.err.println("train pretrain: --objective must be mlm or rtd, not " + objective);
            return 2;
        }
        PretrainConfig config = new PretrainConfig(dataRoot, work, resume, BertConfig.of(6, layers, hidden, heads),
                minCharCount, minWordCount, maxWords, maxTokens, maxBatch, lr, warmup, totalSteps, maxSteps, maxMinutes,
                checkpointMinutes, logEvery, seed, limitPerFile, device, endAt, rewarmTo, rewarmSteps, objective,
                generatorHidden, init);
        Pretrainer trainer = new Pretrainer(config);
        Thread hook = new Thread(() -> {
            trainer.requestStop();
            try {
                trainer.awaitFinished(java.time.Duration.ofMinutes(3));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pretrain-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        PretrainState state = trainer.run();
        System.out.printf("{\"objective\":\"%s\",\"step\":%d,\"total_steps\":%d,\"tokens_seen\":%d,\"loss\":%.4f,\"%s\":%.4f,\"checkpoint\":\"%s\"}%n",
                state.objective(), state.step(), state.totalSteps(), state.tokensSeen(), state.lastLoss(),
                state.replacedTokenDetection() ? "discriminator_accuracy" : "mlm_accuracy", state.lastAccuracy(),
                work.resolve(PretrainCheckpoint.LATEST));
        return 0;
    }

    /**
     * Without --work-dir a resumed work dir goes on in itself: written elsewhere, its newer checkpoints would leave it
     * at the step it was resumed from, and a later {@code --resume} or {@code publish-pretrained --from} of it would
     * silently take that older step. A published encoder or a bare checkpoint dir is continued in work/pretrain.
     */
    static Path defaultWorkDir(Path resume) {
        if (resume != null && Files.isDirectory(resume.resolve(PretrainCheckpoint.LATEST))) {
            return resume;
        }
        return ProjectPaths.work().resolve("pretrain");
    }
}
