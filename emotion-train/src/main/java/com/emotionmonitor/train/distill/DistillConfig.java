package com.emotionmonitor.train.distill;

import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.train.StartingPoint;
import java.nio.file.Path;

/**
 * A distillation run: a student BERT classifier learns the teacher's probabilities over an unlabelled corpus.
 *
 * @param pretrained where the student starts ({@link Distiller#startingPoint}: a pretraining checkpoint, a published encoder, a
 *     published classifier or another distillation's student, head included), or null for a fresh student
 * @param keepLayers the student keeps only the lower N layers of {@code pretrained} (0 = all of them)
 * @param architecture the student's architecture when it starts from scratch (ignored with {@code pretrained})
 * @param temperature both distributions are softened by it; the loss is {@code T^2 KL(teacher_T || student_T)}
 * @param totalSteps length of the learning-rate schedule (warm-up, then linear decay to 0)
 * @param maxSteps stop this run after this many steps (0 = until {@code totalSteps}); a resumed run continues
 * @param checkpointEverySteps write a checkpoint every N steps (and at the end); 0 = only at the end
 */
public record DistillConfig(
        Path pretrained,
        int keepLayers,
        BertConfig architecture,
        float temperature,
        float peakLearningRate,
        int warmupSteps,
        int totalSteps,
        int maxSteps,
        double maxMinutes,
        int checkpointEverySteps,
        int maxTokens,
        int maxBatchSize,
        float dropout,
        float weightDecay,
        long seed,
        String device,
        Path workDir,
        int logEvery) {

    public DistillConfig {
        StartingPoint.checkKeepLayers(pretrained, keepLayers);
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("--temperature must be > 0: " + temperature);
        }
        if (totalSteps < 1 || warmupSteps < 0 || warmupSteps > totalSteps) {
            throw new IllegalArgumentException("need 0 <= --warmup-steps <= --total-steps, --total-steps >= 1");
        }
    }
}
