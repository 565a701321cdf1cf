package com.emotionmonitor.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.model.nn.BlockWeights;
import com.emotionmonitor.model.nn.EmotionClassifierBlock;
import com.emotionmonitor.text.TokenizerVariant;
import com.emotionmonitor.text.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a fine-tune starts from ({@code train finetune --pretrained DIR}): a pretrained encoder ({@link PretrainedEncoder}:
 * ours, or one imported from Hugging Face; the encoder is loaded, and its pooler when it has one, the classifier head
 * starts fresh), or a distillation checkpoint (the whole classifier the student became, head included: the gold-label
 * phase after {@code train distill}).
 *
 * @param tokenizer the tokenizer the starting weights were trained with; fine-tuning and the published classifier use it
 * @param encoder the pretrained encoder, or null when the start is a whole distilled classifier
 */
public record StartingPoint(Path dir, BertConfig architecture, Vocabulary vocabulary, TokenizerVariant tokenizer,
        PretrainedEncoder encoder) {

    /** Reads either kind; the error names the directory. */
    public static StartingPoint read(Path path) throws IOException {
        boolean distilled = Files.isRegularFile(path.resolve(DistillCheckpoint.STUDENT))
                || Files.isRegularFile(path.resolve(DistillCheckpoint.LATEST).resolve(DistillCheckpoint.STUDENT));
        if (distilled) {
            // The student is distilled with our tokenizer (Distiller), whatever the teacher used.
            DistillCheckpoint ckpt = DistillCheckpoint.read(path);
            return new StartingPoint(ckpt.dir(), ckpt.state().architecture(), ckpt.vocabulary(),
                    TokenizerVariant.EMOTION_BERT_CHINESE, null);
        }
        PretrainedEncoder e = PretrainedEncoder.read(path);
        return new StartingPoint(e.dir(), e.architecture(), e.vocabulary(), e.tokenizer(), e);
    }

    /** True when the start is a distilled classifier (head included), false for a pretrained encoder. */
    public boolean wholeClassifier() {
        return encoder == null;
    }

    /** Loads the starting weights into a freshly initialised classifier of {@link #architecture()}. */
    public void loadInto(EmotionClassifierBlock block, NDManager manager) throws IOException {
        try {
            if (wholeClassifier()) {
                BlockWeights.load(block, manager, dir.resolve(DistillCheckpoint.STUDENT));
            } else {
                BlockWeights.load(block.encoder(), manager, encoder.encoderWeights());
                if (encoder.poolerWeights() != null) {
                    BlockWeights.load(block.pooler(), manager, encoder.poolerWeights());
                }
            }
        } catch (MalformedModelException e) {
            throw new IOException("malformed starting point " + dir + ": " + e.getMessage(), e);
        }
    }

    /** What the log says the fine-tune starts from. */
    public String describe() {
        if (wholeClassifier()) {
            return "the distilled classifier in " + dir;
        }
        return "the encoder" + (encoder.poolerWeights() != null ? " and pooler" : "") + " in " + dir + " ("
                + architecture.shortName() + ", tokenizer " + tokenizer.id() + ")";
    }
}
