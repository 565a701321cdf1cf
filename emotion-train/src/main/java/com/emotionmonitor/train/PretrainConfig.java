package com.emotionmonitor.train;

import com.emotionmonitor.model.BertConfig;
import java.nio.file.Path;

/**
 * Everything a pretraining run is told. The CLI ({@code bin/emotion train pretrain}) fills it from
 * flags; tests use tiny values.
 *
 * @param resumeFrom a checkpoint directory or a published pretrained encoder, or null for a fresh run
 * @param limitPerFile rows read from each corpus file, 0 = all (tests use a handful)
 * @param maxStepsThisRun stop this run after so many steps (0 = no limit); the schedule is unaffected
 * @param maxMinutes stop this run after so many minutes (0 = no limit), with a checkpoint
 * @param endAt when resuming, re-plan the schedule to end (learning rate 0) at this step; 0 = keep it
 * @param rewarmTo with {@code endAt}: first climb to this learning rate over {@code rewarmSteps}; 0 = no re-warm
 * @param objective {@code mlm} (BERT's masked LM) or {@code rtd} (ELECTRA's replaced-token detection) for a fresh run;
 *     null: masked LM, or whatever the resumed checkpoint trains
 * @param generatorHidden ELECTRA's generator width (0: a quarter of the discriminator's); its depth is the same
 * @param initFrom a fresh masked-LM run starts its encoder from this pretrained encoder (ours, or one imported from
 *     Hugging Face), with its architecture, vocabulary and tokenizer; the masked-LM head starts fresh. Null: random
 *     weights of {@code architecture}. Continued pretraining on our corpus (domain adaptation) of an encoder
 *     pretrained elsewhere.
 */
public record PretrainConfig(
        Path dataRoot,
        Path workDir,
        Path resumeFrom,
        BertConfig architecture,
        int minCharCount,
        int minWordCount,
        int maxWords,
        int maxTokens,
        int maxBatchSize,
        float peakLearningRate,
        int warmupSteps,
        int totalSteps,
        int maxStepsThisRun,
        double maxMinutes,
        double checkpointMinutes,
        int logEvery,
        long seed,
        int limitPerFile,
        String device,
        int endAt,
        float rewarmTo,
        int rewarmSteps,
        String objective,
        int generatorHidden,
        Path initFrom) {

    /** A run from random weights, or a resumed one. */
    public PretrainConfig(Path dataRoot, Path workDir, Path resumeFrom, BertConfig architecture, int minCharCount,
            int minWordCount, int maxWords, int maxTokens, int maxBatchSize, float peakLearningRate, int warmupSteps,
            int totalSteps, int maxStepsThisRun, double maxMinutes, double checkpointMinutes, int logEvery, long seed,
            int limitPerFile, String device, int endAt, float rewarmTo, int rewarmSteps, String objective, int generatorHidden) {
        this(dataRoot, workDir, resumeFrom, architecture, minCharCount, minWordCount, maxWords, maxTokens, maxBatchSize,
                peakLearningRate, warmupSteps, totalSteps, maxStepsThisRun, maxMinutes, checkpointMinutes, logEvery, seed,
                limitPerFile, device, endAt, rewarmTo, rewarmSteps, objective, generatorHidden, null);
    }

    /** A masked-LM run (or a resumed one of either objective). */
    public PretrainConfig(Path dataRoot, Path workDir, Path resumeFrom, BertConfig architecture, int minCharCount,
            int minWordCount, int maxWords, int maxTokens, int maxBatchSize, float peakLearningRate, int warmupSteps,
            int totalSteps, int maxStepsThisRun, double maxMinutes, double checkpointMinutes, int logEvery, long seed,
            int limitPerFile, String device, int endAt, float rewarmTo, int rewarmSteps) {
        this(dataRoot, workDir, resumeFrom, architecture, minCharCount, minWordCount, maxWords, maxTokens, maxBatchSize,
                peakLearningRate, warmupSteps, totalSteps, maxStepsThisRun, maxMinutes, checkpointMinutes, logEvery, seed,
                limitPerFile, device, endAt, rewarmTo, rewarmSteps, null, 0, null);
    }
}
