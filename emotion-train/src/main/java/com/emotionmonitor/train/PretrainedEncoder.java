package com.emotionmonitor.train;

import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.store.ModelManifest;
import com.emotionmonitor.text.TokenizerVariant;
import com.emotionmonitor.text.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code train finetune --pretrained} starts from: our masked-LM pretraining checkpoint (a work directory, a
 * checkpoint, or its published version: {@code state.json} says what it is), or an encoder imported from Hugging Face
 * ({@code model import-hf}: a verified {@code pretrained-encoder} version whose manifest names the architecture and
 * the tokenizer, with {@code pooler.params} when the checkpoint had a pooler).
 *
 * @param encoderWeights the encoder's parameter file
 * @param poolerWeights the pooler's (dense + tanh on [CLS]) parameter file, or null: the pooler starts random
 * @param tokenizer the tokenizer the encoder was pretrained with, which fine-tuning and the published classifier use
 */
public record PretrainedEncoder(Path dir, BertConfig architecture, Vocabulary vocabulary, TokenizerVariant tokenizer,
        Path encoderWeights, Path poolerWeights) {

    public static final String ENCODER = PretrainCheckpoint.ENCODER;
    public static final String POOLER = PretrainCheckpoint.POOLER;

    /** @throws IllegalArgumentException when {@code path} is neither kind of pretrained encoder */
    public static PretrainedEncoder read(Path path) throws IOException {
        return read(path, null);
    }

    /**
     * As {@link #read(Path)}, for a caller that has already verified {@code path}'s checksums: {@code verified} is its
     * manifest (null: none verified yet, so an imported version is verified here).
     */
    public static PretrainedEncoder read(Path path, ModelManifest verified) throws IOException {
        Path own = Files.isRegularFile(path.resolve(PretrainCheckpoint.STATE)) ? path : path.resolve(PretrainCheckpoint.LATEST);
        if (Files.isRegularFile(own.resolve(PretrainCheckpoint.STATE))) {
            PretrainCheckpoint ckpt = PretrainCheckpoint.read(path);
            // A run continued from an imported encoder (--init) read the corpus with that encoder's tokenizer.
            return new PretrainedEncoder(own, ckpt.state().architecture(), ckpt.vocabulary(), ckpt.state().tokenizer(),
                    own.resolve(ENCODER), ckpt.pooler());
        }
        if (!Files.isRegularFile(path.resolve(ArtifactFiles.MANIFEST))) {
            throw new IllegalArgumentException(path + " is not a pretrained encoder: no state.json (a pretraining checkpoint) "
                    + "and no manifest.json (a published or imported encoder version)");
        }
        ModelManifest m = verified != null ? verified : ArtifactFiles.verify(path);
        if (!ModelManifest.PRETRAINED_ENCODER.equals(m.kind())) {
            throw new IllegalArgumentException(path + " is a '" + m.kind() + "' version, not a pretrained-encoder");
        }
        if (!m.files().containsKey(ENCODER)) {
            throw new IllegalArgumentException(path + " lists no " + ENCODER);
        }
        Vocabulary vocab = Vocabulary.load(path.resolve("vocab.txt"));
        if (vocab.size() != m.architecture().vocabSize()) {
            throw new IllegalArgumentException(path + ": vocab.txt has " + vocab.size() + " tokens, the architecture "
                    + m.architecture().vocabSize());
        }
        return new PretrainedEncoder(path, m.architecture(), vocab, m.tokenizer(), path.resolve(ENCODER),
                m.files().containsKey(POOLER) ? path.resolve(POOLER) : null);
    }
}
