package com.emotionmonitor.train;

import com.emotionmonitor.model.BertConfig;
import java.util.Map;

/**
 * Where a pretraining run stands, saved with every checkpoint (state.json) so that {@code --resume}
 * continues the same schedule over the same data order. Files written before the schedule could be
 * shortened read {@code shortenedFromStep = 0}: never shortened.
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
        Map<String, Integer> corpusRowsPerFile,
        int shortenedFromStep,
        float rateAtShortening) {

    /** The learning-rate schedule this run follows (see {@link WarmupLinearDecay#shortened}). */
    public WarmupLinearDecay schedule(int offset) {
        return WarmupLinearDecay.shortened(peakLearningRate, warmupSteps, totalSteps, offset, shortenedFromStep,
                rateAtShortening);
    }

    /**
     * This state re-planned to end at {@code newTotal}: the rate decays linearly from its value now to 0 there.
     * A run that must finish inside a time budget ends annealed instead of being cut at a high rate.
     */
    public PretrainState endingAt(int newTotal) {
        if (newTotal <= step) {
            throw new IllegalArgumentException("--end-at " + newTotal + " must be after the current step " + step);
        }
        float rateNow = schedule(0).valueAt(step);
        return new PretrainState(architecture, preprocessingVersion, vocabSha256, seed, step, newTotal, warmupSteps,
                peakLearningRate, maxTokens, maxBatchSize, epoch, batchCursor, tokensSeen, trainingSeconds, lastLoss,
                lastAccuracy, corpusRowsPerFile, step, rateNow);
    }
}
