package com.emotionmonitor.job.model;

import com.emotionmonitor.model.ModelLoadException;
import com.emotionmonitor.store.ModelManifest;
import com.emotionmonitor.schema.Emotion;
import com.emotionmonitor.text.Preprocessing;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What this job expects of any model version it serves, checked on the manifest before the weights are even read:
 * a classifier whose labels are the job's six emotions in the wire order (events map class index to
 * {@link Emotion} by position), a max length that fits one batch of the micro-batcher, and a preprocessing version
 * this build can reproduce (serving must clean and tokenize exactly as training did).
 *
 * @param labels the job's labels in output order
 * @param maxTokensPerBatch {@code batch.max-tokens}: one post of the model's max length must fit a batch
 */
public record ModelRequirements(List<String> labels, int maxTokensPerBatch) implements Serializable {

    /** The smallest sensible max length: [CLS], one token, [SEP]. */
    static final int MIN_LENGTH = 3;

    public ModelRequirements {
        labels = List.copyOf(labels);
    }

    public static ModelRequirements forJob(int batchMaxTokens) {
        return new ModelRequirements(
                Arrays.stream(Emotion.values()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList(), batchMaxTokens);
    }

    /** @throws ModelLoadException naming the first mismatch */
    public void check(ModelManifest m) {
        String what = m.name() + "/" + m.version();
        if (!ModelManifest.CLASSIFIER.equals(m.kind())) {
            throw new ModelLoadException(what + " is a '" + m.kind() + "', not a classifier");
        }
        List<String> got = m.labels() == null ? List.of() : m.labels();
        if (got.size() != labels.size()) {
            throw new ModelLoadException(what + " has " + got.size() + " labels " + got + "; the job expects "
                    + labels.size() + " " + labels);
        }
        if (!got.equals(labels)) {
            throw new ModelLoadException(what + " has labels " + got + " in an order the job cannot map; expected " + labels);
        }
        if (m.maxLength() < MIN_LENGTH || m.maxLength() > maxTokensPerBatch) {
            throw new ModelLoadException(what + " has max length " + m.maxLength() + "; the job serves lengths "
                    + MIN_LENGTH + ".." + maxTokensPerBatch + " (batch.max-tokens)");
        }
        try {
            Preprocessing.optionsFor(m.preprocessingVersion());
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(what + " was trained with preprocessing '" + m.preprocessingVersion()
                    + "', which this job cannot reproduce: " + e.getMessage());
        }
    }
}
