package com.emotionmonitor.train;

import com.emotionmonitor.model.BertConfig;
import java.util.Map;

/**
 * Where a pretraining run stands, saved with every checkpoint (state.json) so that {@code --resume}
 * continues the same schedule over the same data order.
 */
public record PretrainState(
        BertConfig architecture,
        String preprocessingVersion,
        String vocabSha256,
        long seed,
        int step,
        int totalSteps,
        int warmupSteps,
        float peakLearningRate,
        int maxTokens,
        int maxBatchSize,
        int epoch,
        int batchCursor,
        long tokensSeen,
        double trainingSeconds,
        double lastLoss,
        double lastAccuracy,
        Map<String, Integer> corpusRowsPerFile) {}
