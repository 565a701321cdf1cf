package com.emotionmonitor.train;

import com.emotionmonitor.model.ArtifactFiles;
import com.emotionmonitor.model.Emotion;
import com.emotionmonitor.model.EmotionModel;
import com.emotionmonitor.model.ModelManifest;
import com.emotionmonitor.text.Preprocessing;
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
     */
    public static Path publish(FineTuner.Result result, Path storeRoot, String name, String version, String parent,
            Map<String, Object> training) throws IOException {
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
            result.reports().forEach((set, report) -> metrics.put(set, report.toMap()));
            ModelManifest manifest = new ModelManifest(name, version, ModelManifest.CLASSIFIER, Instant.now().toString(),
                    result.architecture(), Arrays.stream(Emotion.values()).map(Emotion::label).toList(),
                    Preprocessing.MAX_CHARS + 2, Preprocessing.VERSION, parent, t, metrics, null);
            return ArtifactFiles.publish(staging, storeRoot, manifest);
        } finally {
            PretrainCheckpoint.deleteTree(staging);
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
