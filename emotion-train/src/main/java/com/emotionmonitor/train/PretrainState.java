package com.emotionmonitor.train;

import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.text.TokenizerVariant;
import java.util.Map;

/**
 * Where a pretraining run stands, saved with every checkpoint (state.json) so that {@code --resume}
 * continues the same schedule over the same data order. Files written before the schedule could be
 * shortened read {@code shortenedFromStep = 0}: never shortened; files from before re-warming read
 * {@code rewarmSteps = 0}: no re-warm; files from before {@code --init} read our tokenizer and no {@code initialisedFrom}.
 *
 * @param tokenizer the tokenizer the corpus is read with: ours, or that of the encoder the run started from
 * @param initialisedFrom what the encoder started from ({@code --init}), or null: random weights
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
        float rateAtShortening,
        float rewarmPeak,
        int rewarmSteps,
        String objective,
        BertConfig generatorArchitecture,
        TokenizerVariant tokenizer,
        InitialEncoder initialisedFrom) {

    /**
     * The encoder a {@code --init} run started from, as its state.json and the published manifest name it.
     *
     * @param path where it was read from
     * @param encoderSha256 its encoder file's sha256, which identifies it wherever it is kept
     * @param pooler whether it had a pooler, carried along unchanged
     */
    public record InitialEncoder(String path, String architecture,
            @com.fasterxml.jackson.annotation.JsonProperty("encoder_sha256") String encoderSha256, boolean pooler) {}

    /** Masked LM (BERT): files written before the field existed have none and are this. */
    public static final String MLM = "mlm";
    /** Replaced-token detection (ELECTRA): a small generator's masked LM + the discriminator over every token. */
    public static final String RTD = "rtd";

    /** A masked-LM state (the objective every checkpoint before ELECTRA had). */
    public PretrainState(BertConfig architecture, String preprocessingVersion, String vocabSha256, long seed, int step,
            int totalSteps, int warmupSteps, float peakLearningRate, int maxTokens, int maxBatchSize, int epoch, int batchCursor,
            long tokensSeen, double trainingSeconds, double lastLoss, double lastAccuracy, Map<String, Integer> corpusRowsPerFile,
            int shortenedFromStep, float rateAtShortening, float rewarmPeak, int rewarmSteps) {
        this(architecture, preprocessingVersion, vocabSha256, seed, step, totalSteps, warmupSteps, peakLearningRate, maxTokens,
                maxBatchSize, epoch, batchCursor, tokensSeen, trainingSeconds, lastLoss, lastAccuracy, corpusRowsPerFile,
                shortenedFromStep, rateAtShortening, rewarmPeak, rewarmSteps, MLM, null);
    }

    /** A state of a run from random weights, read with our tokenizer. */
    public PretrainState(BertConfig architecture, String preprocessingVersion, String vocabSha256, long seed, int step,
            int totalSteps, int warmupSteps, float peakLearningRate, int maxTokens, int maxBatchSize, int epoch, int batchCursor,
            long tokensSeen, double trainingSeconds, double lastLoss, double lastAccuracy, Map<String, Integer> corpusRowsPerFile,
            int shortenedFromStep, float rateAtShortening, float rewarmPeak, int rewarmSteps, String objective,
            BertConfig generatorArchitecture) {
        this(architecture, preprocessingVersion, vocabSha256, seed, step, totalSteps, warmupSteps, peakLearningRate, maxTokens,
                maxBatchSize, epoch, batchCursor, tokensSeen, trainingSeconds, lastLoss, lastAccuracy, corpusRowsPerFile,
                shortenedFromStep, rateAtShortening, rewarmPeak, rewarmSteps, objective, generatorArchitecture, null, null);
    }

    public PretrainState {
        if (objective == null) {
            objective = MLM;
        }
        if (tokenizer == null) {
            tokenizer = TokenizerVariant.EMOTION_BERT_CHINESE;
        }
        if (!objective.equals(MLM) && !objective.equals(RTD)) {
            throw new IllegalArgumentException("unknown pretraining objective '" + objective + "' (mlm or rtd)");
        }
        if (objective.equals(RTD) && generatorArchitecture == null) {
            throw new IllegalArgumentException("an rtd state needs its generator's architecture");
        }
    }

    /** Whether this run trains ELECTRA's discriminator (else BERT's masked LM). */
    public boolean replacedTokenDetection() {
        return RTD.equals(objective);
    }

    /** The learning-rate schedule this run follows (see {@link WarmupLinearDecay#shortened}). */
    public WarmupLinearDecay schedule(int offset) {
        return WarmupLinearDecay.replanned(peakLearningRate, warmupSteps, totalSteps, offset, shortenedFromStep,
                rateAtShortening, rewarmPeak, rewarmSteps);
    }

    /** This run's state after more training: the same plan, data and schedule, at a later position. */
    public PretrainState advancedTo(int newStep, int newEpoch, int newCursor, long newTokensSeen, double newTrainingSeconds,
            double loss, double accuracy) {
        return new PretrainState(architecture, preprocessingVersion, vocabSha256, seed, newStep, totalSteps, warmupSteps,
                peakLearningRate, maxTokens, maxBatchSize, newEpoch, newCursor, newTokensSeen, newTrainingSeconds, loss, accuracy,
                corpusRowsPerFile, shortenedFromStep, rateAtShortening, rewarmPeak, rewarmSteps, objective, generatorArchitecture,
                tokenizer, initialisedFrom);
    }

    /**
     * This state re-planned to end at {@code newTotal}: the rate decays linearly from its value now to 0 there.
     * A run that must finish inside a time budget ends annealed instead of being cut at a high rate.
     */
    public PretrainState endingAt(int newTotal) {
        return replanned(newTotal, 0f, 0);
    }

    /**
     * This state re-planned to climb from its rate now to {@code peak} over {@code steps} steps, then decay to 0
     * at {@code newTotal}: another pass over the corpus after a run that already ended annealed.
     */
    public PretrainState rewarmed(float peak, int steps, int newTotal) {
        if (steps <= 0 || peak <= 0) {
            throw new IllegalArgumentException("a re-warm needs a peak > 0 and steps > 0, got " + peak + " over " + steps);
        }
        return replanned(newTotal, peak, steps);
    }

    private PretrainState replanned(int newTotal, float peak, int steps) {
        if (newTotal <= step + steps) {
            throw new IllegalArgumentException("--end-at " + newTotal + " must be after the current step " + step
                    + (steps > 0 ? " plus the " + steps + " re-warm steps" : ""));
        }
        float rateNow = schedule(0).valueAt(step);
        return new PretrainState(architecture, preprocessingVersion, vocabSha256, seed, step, newTotal, warmupSteps,
                peakLearningRate, maxTokens, maxBatchSize, epoch, batchCursor, tokensSeen, trainingSeconds, lastLoss,
                lastAccuracy, corpusRowsPerFile, step, rateNow, peak, steps, objective, generatorArchitecture, tokenizer,
                initialisedFrom);
    }
}
