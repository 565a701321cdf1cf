package com.emotionmonitor.train;

import com.emotionmonitor.model.BertConfig;

/**
 * Where a fine-tuning run stands (its checkpoint's {@code state.json}): position in the data (epoch and batch cursor of
 * that epoch's seeded plan), the best selection so far, and what it learns from (training and selection sets and
 * vocabulary, by sha256, and the settings that shape its steps), so that a resume with other inputs is refused.
 */
public record FineTuneState(
        BertConfig architecture,
        String trainSha256,
        String selectionName,
        String selectionSha256,
        String vocabSha256,
        String classWeighting,
        long seed,
        int epochs,
        int totalSteps,
        int warmupSteps,
        float peakLearningRate,
        float weightDecay,
        int step,
        int epoch,
        int batchCursor,
        int bestStep,
        double bestSelectionF1,
        double trainingSeconds,
        String parent) {

    public FineTuneState advancedTo(int newStep, int newEpoch, int newCursor, double seconds) {
        return new FineTuneState(architecture, trainSha256, selectionName, selectionSha256, vocabSha256, classWeighting, seed,
                epochs, totalSteps, warmupSteps, peakLearningRate, weightDecay, newStep, newEpoch, newCursor, bestStep,
                bestSelectionF1, seconds, parent);
    }

    public FineTuneState withBest(int step, double selectionF1) {
        return new FineTuneState(architecture, trainSha256, selectionName, selectionSha256, vocabSha256, classWeighting, seed,
                epochs, totalSteps, warmupSteps, peakLearningRate, weightDecay, this.step, epoch, batchCursor, step, selectionF1,
                trainingSeconds, parent);
    }

    /**
     * Why a run of {@code wanted}'s inputs and settings cannot continue this one, or null when it can. The position,
     * the best so far and the time spent are the checkpoint's own and are not compared, nor is the starting point:
     * the checkpoint's weights replace it (the architecture and vocabulary must match).
     */
    public String mismatch(FineTuneState wanted) {
        StringBuilder why = new StringBuilder();
        differ(why, "the architecture", architecture, wanted.architecture);
        differ(why, "the training set (sha256)", trainSha256, wanted.trainSha256);
        differ(why, "the selection set", selectionName + " " + selectionSha256, wanted.selectionName + " " + wanted.selectionSha256);
        differ(why, "the vocabulary (sha256)", vocabSha256, wanted.vocabSha256);
        differ(why, "the class weighting", classWeighting, wanted.classWeighting);
        differ(why, "the seed", seed, wanted.seed);
        differ(why, "the epochs", epochs, wanted.epochs);
        differ(why, "the steps planned", totalSteps, wanted.totalSteps);
        differ(why, "the warm-up steps", warmupSteps, wanted.warmupSteps);
        differ(why, "the peak learning rate", peakLearningRate, wanted.peakLearningRate);
        differ(why, "the weight decay", weightDecay, wanted.weightDecay);
        return why.length() == 0 ? null : why.toString();
    }

    private static void differ(StringBuilder why, String what, Object saved, Object wanted) {
        if (!java.util.Objects.equals(saved, wanted)) {
            why.append(why.length() == 0 ? "" : "; ").append(what).append(" is ").append(saved).append(", not ").append(wanted);
        }
    }
}
