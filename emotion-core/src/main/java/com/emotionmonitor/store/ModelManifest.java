package com.emotionmonitor.store;

import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.text.TokenizerVariant;

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
 * @param routing present when a domain gate sends some posts to a second (expert) model
 * @param referenceDistribution the training data's label shares (classifiers published since drift was measured;
 *     null in older manifests, whose versions then give no drift figure)
 * @param tokenizer the tokenizer the model was trained with; absent in manifests written before the field (and left
 *     out when it is the default): {@code emotion-bert-chinese}, ours. Imported Hugging Face checkpoints name
 *     {@code hf-bert-basic} or {@code hf-bert-basic-cased}
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
        Ensemble ensemble,
        Routing routing,
        ReferenceDistribution referenceDistribution,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = TokenizerVariant.DefaultFilter.class)
        TokenizerVariant tokenizer) {

    public ModelManifest {
        if (tokenizer == null) {
            tokenizer = TokenizerVariant.EMOTION_BERT_CHINESE;
        }
    }

    /** A version without a reference distribution (as published before drift was measured), with our tokenizer. */
    public ModelManifest(String name, String version, String kind, String createdAt, BertConfig architecture,
            List<String> labels, int maxLength, String preprocessingVersion, String parent, Map<String, Object> training,
            Map<String, Object> metrics, Map<String, String> files, Ensemble ensemble, Routing routing) {
        this(name, version, kind, createdAt, architecture, labels, maxLength, preprocessingVersion, parent, training, metrics,
                files, ensemble, routing, null, null);
    }

    /** A version without routing (the common case), with our tokenizer. */
    public ModelManifest(String name, String version, String kind, String createdAt, BertConfig architecture,
            List<String> labels, int maxLength, String preprocessingVersion, String parent, Map<String, Object> training,
            Map<String, Object> metrics, Map<String, String> files, Ensemble ensemble) {
        this(name, version, kind, createdAt, architecture, labels, maxLength, preprocessingVersion, parent, training, metrics,
                files, ensemble, null, null, null);
    }

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

    /**
     * A domain gate routes each post to one model, so a post still costs one BERT pass: posts whose gate
     * probability for {@code domains[1]} is at least {@code threshold} go to the expert (its own BERT and
     * n-gram mix, same architecture and vocabulary), the rest to the version's main model.
     *
     * @param gateFile the gate's n-gram model file; its classes are {@code domains}
     * @param domains the gate's classes: [main model's domain, expert's domain]
     * @param threshold expert-domain probability from which a post goes to the expert
     * @param expertWeights the expert's BERT weights file
     * @param expertNgramFile the expert's n-gram model file
     * @param expertNgramWeight the expert's mixing weight in [0, 1]
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Routing(String gateFile, List<String> domains, double threshold, String expertWeights,
            String expertNgramFile, double expertNgramWeight) {}

    public static final String CLASSIFIER = "classifier";
    public static final String PRETRAINED_ENCODER = "pretrained-encoder";

    public ModelManifest withFiles(Map<String, String> sha256ByFile) {
        return new ModelManifest(name, version, kind, createdAt, architecture, labels, maxLength, preprocessingVersion,
                parent, training, metrics, sha256ByFile, ensemble, routing, referenceDistribution, tokenizer);
    }

    /** The same version with these metrics, its file list dropped (publishing rewrites it). */
    public ModelManifest withMetrics(Map<String, Object> newMetrics) {
        return new ModelManifest(name, version, kind, createdAt, architecture, labels, maxLength, preprocessingVersion,
                parent, training, newMetrics, null, ensemble, routing, referenceDistribution, tokenizer);
    }

    /** The same version under another name and version, its file list dropped (publishing rewrites it). */
    public ModelManifest renamed(String newName, String newVersion) {
        return new ModelManifest(newName, newVersion, kind, createdAt, architecture, labels, maxLength, preprocessingVersion,
                parent, training, metrics, null, ensemble, routing, referenceDistribution, tokenizer);
    }

    /** The same version with this reference distribution, its file list dropped (publishing rewrites it). */
    public ModelManifest withReference(ReferenceDistribution reference) {
        return new ModelManifest(name, version, kind, createdAt, architecture, labels, maxLength, preprocessingVersion,
                parent, training, metrics, null, ensemble, routing, reference, tokenizer);
    }

    /** The reference shares in label order (the job's drift reference), or null when the manifest records none. */
    public double[] referenceShares() {
        return referenceDistribution == null || labels == null ? null : referenceDistribution.sharesIn(labels);
    }
}
