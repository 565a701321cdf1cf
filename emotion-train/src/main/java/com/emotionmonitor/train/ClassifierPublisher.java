package com.emotionmonitor.train;

import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.model.Emotion;
import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.store.ModelManifest;
import com.emotionmonitor.store.ReferenceDistribution;
import com.emotionmonitor.text.Preprocessing;
import com.emotionmonitor.text.TextPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Publishes a fine-tuning result as an immutable classifier version with a complete manifest. */
public final class ClassifierPublisher {

    private ClassifierPublisher() {}

    /**
     * @param training what the manifest says about how it was trained (data files with sha256, hyper-parameters ...)
     * @param parent the pretrained encoder it started from, or null
     * @param reference the training posts' label shares (the job's drift reference), or null
     */
    public static Path publish(FineTuner.Result result, Path storeRoot, String name, String version, String parent,
            Map<String, Object> training, ReferenceDistribution reference) throws IOException {
        return publishEnsemble(result, null, storeRoot, name, version, parent, training, reference);
    }

    /** The n-gram half of an ensemble version: the model, its chosen weight, and the metrics of the mix. */
    public record NgramPart(com.emotionmonitor.model.ngram.NgramClassifier classifier, double weight, String selectedOn,
            Map<String, Object> ensembleMetrics, Map<String, Object> training) {}

    /**
     * Publishes the fine-tuned BERT, optionally mixed with a character n-gram model; the manifest's
     * metrics are then the served (mixed) ones, with the BERT-only figures kept beside them.
     */
    public static Path publishEnsemble(FineTuner.Result result, NgramPart ngram, Path storeRoot, String name, String version,
            String parent, Map<String, Object> training, ReferenceDistribution reference) throws IOException {
        Path staging = Files.createTempDirectory("publish-" + name);
        try {
            Files.copy(result.weights(), staging.resolve(EmotionModel.WEIGHTS));
            result.vocabulary().save(staging.resolve(EmotionModel.VOCAB));
            Map<String, Object> t = new LinkedHashMap<>(training);
            t.put("best_step", result.bestStep());
            t.put("steps", result.steps());
            t.put("training_seconds", Math.round(result.trainingSeconds()));
            t.put("class_weights", result.classWeights());
            Map<String, Object> metrics = new LinkedHashMap<>();
            ModelManifest.Ensemble ensemble = null;
            if (ngram == null) {
                result.reports().forEach((set, report) -> metrics.put(set, report.toMap()));
            } else {
                ngram.classifier().save(staging);
                metrics.putAll(ngram.ensembleMetrics());
                Map<String, Object> bertOnly = new LinkedHashMap<>();
                result.reports().forEach((set, report) -> bertOnly.put(set, report.toMap()));
                metrics.put("bert_only", bertOnly);
                t.put("ngram", ngram.training());
                ensemble = new ModelManifest.Ensemble(com.emotionmonitor.model.ngram.NgramClassifier.FILE_NAME, ngram.weight(),
                        ngram.selectedOn());
            }
            ModelManifest manifest = new ModelManifest(name, version, ModelManifest.CLASSIFIER, Instant.now().toString(),
                    result.architecture(), Arrays.stream(Emotion.values()).map(Emotion::label).toList(),
                    TextPipeline.maxTokens(result.architecture().maxPositions()), Preprocessing.VERSION, parent, t, metrics,
                    null, ensemble, null, reference, result.tokenizer());
            return ArtifactFiles.publish(staging, storeRoot, manifest);
        } finally {
            CheckpointDirectory.deleteTree(staging);
        }
    }

    /** The sha256 of a data file, for the manifest's record of what a model was trained on. */
    public static Map<String, String> describe(Path file) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("file", file.getFileName().toString());
        d.put("sha256", ArtifactFiles.sha256(file));
        return d;
    }
}
