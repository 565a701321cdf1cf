package com.emotionmonitor.train;

import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.model.ngram.WeightFormat;
import java.nio.file.Path;

/**
 * A fine-tuning run.
 *
 * @param pretrained a pretrained encoder (checkpoint or published version), or null to train from scratch
 * @param keepLayers the classifier keeps only the lower N layers of {@code pretrained} (0 = all of them)
 * @param architecture used only without a pretrained encoder (the vocabulary is then built from the train set)
 * @param classWeighting {@code none}, {@code inverse-sqrt} or {@code inverse} class frequency
 * @param evalEverySteps model selection interval in steps (0 = once per epoch)
 * @param weightFormat how the best weights are stored; f16 rounds them before the final reports, so every figure is
 *     that of the stored file
 * @param checkpointEverySteps also checkpoint every N steps (0: only when a run stops early: a time or step limit, or
 *     {@link FineTuner#requestStop()})
 * @param maxSteps stop this run after N steps (0: no limit); with {@code resume}, a later run continues it
 * @param resume continue the work directory's checkpoint, if it has one (else start fresh)
 */
public record FineTuneConfig(
        Path pretrained,
        int keepLayers,
        BertConfig architecture,
        int epochs,
        float peakLearningRate,
        float warmupFraction,
        float dropout,
        float weightDecay,
        int maxTokens,
        int maxBatchSize,
        String classWeighting,
        int evalEverySteps,
        double maxMinutes,
        long seed,
        String device,
        Path workDir,
        WeightFormat weightFormat,
        int checkpointEverySteps,
        int maxSteps,
        boolean resume) {

    public FineTuneConfig {
        StartingPoint.checkKeepLayers(pretrained, keepLayers);
    }

    /** A run that is not resumed, and checkpoints only when it stops early. */
    public FineTuneConfig(Path pretrained, BertConfig architecture, int epochs, float peakLearningRate, float warmupFraction,
            float dropout, float weightDecay, int maxTokens, int maxBatchSize, String classWeighting, int evalEverySteps,
            double maxMinutes, long seed, String device, Path workDir, WeightFormat weightFormat) {
        this(pretrained, 0, architecture, epochs, peakLearningRate, warmupFraction, dropout, weightDecay, maxTokens,
                maxBatchSize, classWeighting, evalEverySteps, maxMinutes, seed, device, workDir, weightFormat, 0, 0, false);
    }

    /** A run that stores its weights in f32, as trained. */
    public FineTuneConfig(Path pretrained, BertConfig architecture, int epochs, float peakLearningRate, float warmupFraction,
            float dropout, float weightDecay, int maxTokens, int maxBatchSize, String classWeighting, int evalEverySteps,
            double maxMinutes, long seed, String device, Path workDir) {
        this(pretrained, architecture, epochs, peakLearningRate, warmupFraction, dropout, weightDecay, maxTokens, maxBatchSize,
                classWeighting, evalEverySteps, maxMinutes, seed, device, workDir, WeightFormat.F32);
    }
}
