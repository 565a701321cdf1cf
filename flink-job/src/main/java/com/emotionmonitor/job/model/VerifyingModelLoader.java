package com.emotionmonitor.job.model;

import com.emotionmonitor.store.ClassifierRequirements;
import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.model.BatchPredictor;
import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.model.ModelLoadException;
import com.emotionmonitor.store.ModelManifest;
import com.emotionmonitor.text.TextPipeline;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checks a version passes before it may serve, cheapest first: the directory exists; its manifest.json has the
 * SHA-256 the command pinned; the manifest names the commanded name and version; the manifest meets the
 * {@link ClassifierRequirements} (labels, max length, preprocessing); {@link EmotionModel#load} verifies the sha256 of
 * every file and loads the weights; a {@link SmokeInference} on canned posts. Any failure is a
 * {@link ModelLoadException} whose message is the refusal reason.
 */
public final class VerifyingModelLoader implements ModelLoader {

    private final String device;

    /** @param device {@code auto}, {@code cpu}, {@code gpu[:N]} (see DeviceSelector) */
    public VerifyingModelLoader(String device) {
        this.device = device;
    }

    @Override
    public LoadedModel load(ModelTarget target, ClassifierRequirements requirements) {
        String what = target.modelName + "/" + target.version;
        Path dir = Path.of(target.location);
        if (!Files.isDirectory(dir)) {
            throw new ModelLoadException(what + " does not exist: no directory " + dir);
        }
        Path manifestFile = dir.resolve(ArtifactFiles.MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new ModelLoadException(what + " is not a published version: " + dir + " has no " + ArtifactFiles.MANIFEST);
        }
        String manifestSha = ArtifactFiles.sha256(manifestFile);
        if (target.manifestSha256 != null && !target.manifestSha256.isBlank()
                && !target.manifestSha256.equalsIgnoreCase(manifestSha)) {
            throw new ModelLoadException(what + ": sha256 mismatch for " + ArtifactFiles.MANIFEST + " (command "
                    + target.manifestSha256 + ", file " + manifestSha + "): not the version the command was issued for");
        }
        ModelManifest manifest = ArtifactFiles.readManifest(dir);
        if (!target.modelName.equals(manifest.name()) || !target.version.equals(manifest.version())) {
            throw new ModelLoadException(dir + " holds " + manifest.name() + "/" + manifest.version() + ", not " + what);
        }
        requirements.check(manifest);
        EmotionModel model = EmotionModel.load(dir, device);
        try {
            SmokeInference.check(what, model.textPipeline(), model);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return new Loaded(model, manifestSha);
    }

    private record Loaded(EmotionModel model, String manifestSha256) implements LoadedModel {

        @Override
        public ModelManifest manifest() {
            return model.manifest();
        }

        @Override
        public TextPipeline textPipeline() {
            return model.textPipeline();
        }

        @Override
        public BatchPredictor predictor() {
            return model;
        }

        @Override
        public void close() {
            model.close();
        }
    }
}
