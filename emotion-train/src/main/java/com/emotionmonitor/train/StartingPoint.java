package com.emotionmonitor.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.model.nn.BlockWeights;
import com.emotionmonitor.model.nn.EmotionClassifierBlock;
import com.emotionmonitor.text.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a fine-tune starts from ({@code train finetune --pretrained DIR}): a masked-LM pretraining checkpoint or
 * published encoder (the encoder is loaded, the classifier head starts fresh), or a distillation checkpoint (the
 * whole classifier the student became, head included: the gold-label phase after {@code train distill}).
 */
public record StartingPoint(Path dir, BertConfig architecture, Vocabulary vocabulary, boolean wholeClassifier) {

    /** Reads either kind; the error names the directory. */
    public static StartingPoint read(Path path) throws IOException {
        boolean distilled = Files.isRegularFile(path.resolve(DistillCheckpoint.STUDENT))
                || Files.isRegularFile(path.resolve(DistillCheckpoint.LATEST).resolve(DistillCheckpoint.STUDENT));
        if (distilled) {
            DistillCheckpoint ckpt = DistillCheckpoint.read(path);
            return new StartingPoint(ckpt.dir(), ckpt.state().architecture(), ckpt.vocabulary(), true);
        }
        PretrainCheckpoint ckpt = PretrainCheckpoint.read(path);
        Path dir = Files.isRegularFile(path.resolve(PretrainCheckpoint.STATE)) ? path : path.resolve(PretrainCheckpoint.LATEST);
        return new StartingPoint(dir, ckpt.state().architecture(), ckpt.vocabulary(), false);
    }

    /** Loads the starting weights into a freshly initialised classifier of {@link #architecture()}. */
    public void loadInto(EmotionClassifierBlock block, NDManager manager) throws IOException {
        try {
            if (wholeClassifier) {
                BlockWeights.load(block, manager, dir.resolve(DistillCheckpoint.STUDENT));
            } else {
                BlockWeights.load(block.encoder(), manager, dir.resolve(PretrainCheckpoint.ENCODER));
            }
        } catch (MalformedModelException e) {
            throw new IOException("malformed starting point " + dir + ": " + e.getMessage(), e);
        }
    }
}
