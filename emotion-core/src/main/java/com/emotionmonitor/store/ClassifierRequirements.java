package com.emotionmonitor.store;

import com.emotionmonitor.model.Emotion;
import com.emotionmonitor.model.ModelLoadException;
import com.emotionmonitor.text.Preprocessing;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * What a server expects of any emotion classifier version, checked on its manifest before the weights are even read
 * (the one compatibility check: {@code EmotionModel.load}, the job's registry, {@code model publish} and
 * {@code model activate} all use it): a classifier whose labels are the six emotions in the wire order (events map
 * class index to emotion by position), a max length that fits its architecture and one batch of the micro-batcher,
 * and a preprocessing version this build can reproduce (serving must clean and tokenize exactly as training did).
 *
 * @param labels the labels in output order
 * @param maxTokensPerBatch the job's {@code batch.max-tokens}: one post of the model's max length must fit a batch
 */
public record ClassifierRequirements(List<String> labels, int maxTokensPerBatch) implements Serializable {

    /** The smallest sensible max length: [CLS], one token, [SEP]. */
    static final int MIN_LENGTH = 3;

    public ClassifierRequirements {
        labels = List.copyOf(labels);
    }

    /** The six emotions, for a server whose batches hold at most {@code maxTokensPerBatch} padded tokens. */
    public static ClassifierRequirements emotions(int maxTokensPerBatch) {
        return new ClassifierRequirements(Arrays.stream(Emotion.values()).map(Emotion::label).toList(), maxTokensPerBatch);
    }

    /** The six emotions, without a batch bound (a model used outside the job). */
    public static ClassifierRequirements emotions() {
        return emotions(Integer.MAX_VALUE);
    }

    /** @throws ModelLoadException naming the first mismatch */
    public void check(ModelManifest m) {
        String what = m.name() + "/" + m.version();
        if (!ModelManifest.CLASSIFIER.equals(m.kind())) {
            throw new ModelLoadException(what + " is a '" + m.kind() + "', not a classifier");
        }
        List<String> got = m.labels() == null ? List.of() : m.labels();
        if (got.size() != labels.size()) {
            throw new ModelLoadException(what + " has " + got.size() + " labels " + got + "; the server expects "
                    + labels.size() + " " + labels);
        }
        if (!got.equals(labels)) {
            throw new ModelLoadException(what + " has labels " + got + " in an order the server cannot map; expected " + labels);
        }
        int maxLength = m.architecture() == null ? maxTokensPerBatch : Math.min(m.architecture().maxPositions(), maxTokensPerBatch);
        if (m.maxLength() < MIN_LENGTH || m.maxLength() > maxLength) {
            throw new ModelLoadException(what + " has max length " + m.maxLength() + "; lengths " + MIN_LENGTH + ".."
                    + maxLength + " fit " + (maxLength == maxTokensPerBatch ? "one batch (batch.max-tokens)" : "its architecture"));
        }
        try {
            Preprocessing.optionsFor(m.preprocessingVersion());
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(what + " was trained with preprocessing '" + m.preprocessingVersion()
                    + "', which this build cannot reproduce: " + e.getMessage());
        }
    }
}
