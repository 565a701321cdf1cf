package com.emotionmonitor.job.model;

import com.emotionmonitor.model.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model version directory of the model store ({@code <store>/<name>/<version>/}), pinned when the job graph is
 * built: every subtask and every restart serves the same version even if a newer one is published meanwhile.
 */
public final class StoreModelSource implements ModelSource {

    private static final long serialVersionUID = 1L;

    private final String versionDir;
    private final String modelName;
    private final String modelVersion;

    private StoreModelSource(Path versionDir, String modelName, String modelVersion) {
        this.versionDir = versionDir.toAbsolutePath().normalize().toString();
        this.modelName = modelName;
        this.modelVersion = modelVersion;
    }

    /**
     * The given version, or the newest published one when {@code version} is blank.
     *
     * @throws IllegalArgumentException naming the directory when nothing is published there
     */
    public static StoreModelSource resolve(Path storeRoot, String name, String version) {
        Path dir;
        if (version == null || version.isBlank()) {
            Path modelDir = storeRoot.resolve(name);
            if (!Files.isDirectory(modelDir)) {
                throw new IllegalArgumentException("no model '" + name + "' in the model store " + storeRoot.toAbsolutePath()
                        + " (expected " + modelDir.toAbsolutePath() + "/<version>/manifest.json): publish one with bin/emotion train");
            }
            dir = ModelStore.latest(storeRoot, name);
        } else {
            dir = storeRoot.resolve(name).resolve(version);
        }
        if (!Files.isRegularFile(dir.resolve("manifest.json"))) {
            throw new IllegalArgumentException("no published model at " + dir.toAbsolutePath() + " (manifest.json missing)");
        }
        return new StoreModelSource(dir, name, dir.getFileName().toString());
    }

    public Path versionDir() {
        return Path.of(versionDir);
    }

    @Override
    public String modelName() {
        return modelName;
    }

    @Override
    public String modelVersion() {
        return modelVersion;
    }

    @Override
    public ModelLease acquire() throws Exception {
        return SharedModels.acquire(Path.of(versionDir));
    }

    @Override
    public String toString() {
        return modelName + "/" + modelVersion + " (" + versionDir + ")";
    }
}
