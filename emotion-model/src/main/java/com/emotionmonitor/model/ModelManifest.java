package com.emotionmonitor.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of a model-store version: what it is, how it was made, how good it is, and the
 * sha256 of every file. A version is immutable once published; loading refuses any mismatch.
 *
 * @param kind {@code classifier} (serves emotions) or {@code pretrained-encoder} (a masked-LM checkpoint)
 * @param labels output order of the classifier (empty for an encoder)
 * @param maxLength the token cap including [CLS]/[SEP]
 * @param preprocessingVersion the text front end the model was trained with; serving must match it
 * @param parent the version this one was trained from (a pretrained encoder), if any
 * @param training data files with sha256, hyper-parameters, steps, time
 * @param metrics evaluation results (usual_eval, virus_eval ...) or pretraining loss
 * @param files sha256 of every other file in the version directory
 * @param ensemble present when the served prediction mixes the BERT with a character n-gram model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelManifest(
        String name,
        String version,
        String kind,
        String createdAt,
        BertConfig architecture,
        List<String> labels,
        int maxLength,
        String preprocessingVersion,
        String parent,
        Map<String, Object> training,
        Map<String, Object> metrics,
        Map<String, String> files,
        Ensemble ensemble) {

    /**
     * The served probabilities are {@code (1 - ngramWeight) * bert + ngramWeight * ngram}, both computed
     * on the same token ids in the same batch.
     *
     * @param ngramFile the n-gram model's file in the version directory
     * @param ngramWeight mixing weight in [0, 1], chosen on the selection set
     * @param selectedOn the file the weight was chosen on
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Ensemble(String ngramFile, double ngramWeight, String selectedOn) {}

    public static final String CLASSIFIER = "classifier";
    public static final String PRETRAINED_ENCODER = "pretrained-encoder";

    public ModelManifest withFiles(Map<String, String> sha256ByFile) {
        return new ModelManifest(name, version, kind, createdAt, architecture, labels, maxLength, preprocessingVersion,
                parent, training, metrics, sha256ByFile, ensemble);
    }
}
