package com.emotionmonitor.job.model;

import com.emotionmonitor.store.ModelKey;
import com.emotionmonitor.store.ModelStore;
import com.emotionmonitor.schema.ModelTrigger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The model store ({@code <store>/<name>/<version>/}) as the job sees it: the start version is pinned when the job
 * graph is built (every subtask and every restart without state starts from the same version, even if a newer one is
 * published meanwhile); other versions arrive by command and are found by location or in the store.
 */
public final class StoreModelSource implements ModelSource {

    private static final long serialVersionUID = 2L;
    private static final Pattern URI_SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

    private final String storeRoot;
    private final String versionDir;
    private final String modelName;
    private final String modelVersion;
    private final ModelTrust trust;
    /** sha256 of the start version's manifest when the trust checked its signature, else null. */
    private final String startSha256;

    private StoreModelSource(Path storeRoot, Path versionDir, String modelName, String modelVersion) {
        this(storeRoot, versionDir, modelName, modelVersion, ModelTrust.storeOnly(storeRoot), null);
    }

    private StoreModelSource(Path storeRoot, Path versionDir, String modelName, String modelVersion, ModelTrust trust,
                             String startSha256) {
        this.trust = trust;
        this.startSha256 = startSha256;
        this.storeRoot = storeRoot.toAbsolutePath().normalize().toString();
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
        return new StoreModelSource(storeRoot, dir, name, dir.getFileName().toString());
    }

    /**
     * This source under {@code trust} (the job's {@code model.*} trust settings): the start version is checked now
     * (location, and the team's signature when a key is configured) and, if signed, pinned to the manifest checked.
     *
     * @throws IllegalArgumentException or {@link com.emotionmonitor.model.ModelLoadException} when it is not trusted
     */
    public StoreModelSource withTrust(ModelTrust trust) {
        Path dir = Path.of(versionDir);
        trust.checkLocation(dir);
        String sha = trust.checkSigned(dir, null);
        return new StoreModelSource(Path.of(storeRoot), dir, modelName, modelVersion, trust, sha);
    }

    @Override
    public ModelTrust trust() {
        return trust;
    }

    public Path versionDir() {
        return Path.of(versionDir);
    }

    public Path storeRoot() {
        return Path.of(storeRoot);
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
    public ModelTarget startTarget() {
        return new ModelTarget(0, modelName, modelVersion, versionDir, startSha256, ModelTrigger.STARTUP, null);
    }

    @Override
    public Path locate(ModelKey key, String artifactLocation) {
        Path dir = locate(Path.of(storeRoot), key, artifactLocation);
        trust.checkLocation(dir);
        return dir;
    }

    /** See {@link ModelSource#locate}; {@code storeRoot} resolves blank and relative locations. */
    public static Path locate(Path storeRoot, ModelKey key, String artifactLocation) {
        if (artifactLocation == null || artifactLocation.isBlank()) {
            return storeRoot.resolve(key.name()).resolve(key.version()).toAbsolutePath().normalize();
        }
        String location = artifactLocation.trim();
        if (location.startsWith("file:")) {
            try {
                return Path.of(URI.create(location)).toAbsolutePath().normalize();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("artifact location '" + location + "' is not a valid file URI: " + e.getMessage(), e);
            }
        }
        if (URI_SCHEME.matcher(location).find() && !location.matches("^[a-zA-Z]:\\\\.*")) {
            throw new IllegalArgumentException("artifact location '" + location + "' is not on a file system the TaskManagers "
                    + "can read: use a file: URI or a path (relative paths are inside the model store " + storeRoot + ")");
        }
        return storeRoot.resolve(location).toAbsolutePath().normalize();
    }

    @Override
    public ModelRegistry registry() {
        return ModelRegistry.shared();
    }

    @Override
    public String toString() {
        return modelName + "/" + modelVersion + " (" + versionDir + ")";
    }
}
