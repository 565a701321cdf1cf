package com.emotionmonitor.train;

import com.emotionmonitor.model.BertConfig;
import java.nio.file.Path;

/**
 * A fine-tuning run.
 *
 * @param pretrained a pretrained encoder (checkpoint or published version), or null to train from scratch
 * @param architecture used only without a pretrained encoder (the vocabulary is then built from the train set)
 * @param classWeighting {@code none}, {@code inverse-sqrt} or {@code inverse} class frequency
 * @param evalEverySteps model selection interval in steps (0 = once per epoch)
 */
public record FineTuneConfig(
        Path pretrained,
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
        Path workDir) {}
