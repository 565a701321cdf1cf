package com.emotionmonitor.train;

import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.text.TokenizerVariant;

/**
 * Where a distillation run stands (its checkpoint's {@code state.json}): position in the data (epoch and batch
 * cursor of that epoch's seeded plan), what it learns from (teacher, corpus, vocabulary, by sha256), and how it went.
 *
 * @param tokenizer how the student reads the corpus: its start's tokenizer (ours from scratch; a state written before
 *     the field existed is ours)
 */
public record DistillState(
        BertConfig architecture,
        String teacherId,
        String teacherSha256,
        String corpusSha256,
        String vocabSha256,
        float temperature,
        long seed,
        int step,
        int totalSteps,
        int warmupSteps,
        float peakLearningRate,
        int epoch,
        int batchCursor,
        double lastLoss,
        double trainingSeconds,
        String parent,
        TokenizerVariant tokenizer) {

    public DistillState {
        tokenizer = tokenizer == null ? TokenizerVariant.EMOTION_BERT_CHINESE : tokenizer;
    }

    public DistillState advancedTo(int newStep, int newEpoch, int newCursor, double loss, double seconds) {
        return new DistillState(architecture, teacherId, teacherSha256, corpusSha256, vocabSha256, temperature, seed, newStep,
                totalSteps, warmupSteps, peakLearningRate, newEpoch, newCursor, loss, seconds, parent, tokenizer);
    }
}
