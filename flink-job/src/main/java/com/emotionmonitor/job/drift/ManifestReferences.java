package com.emotionmonitor.job.drift;

import com.emotionmonitor.job.model.ModelSource;
import com.emotionmonitor.job.model.ModelTarget;
import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.store.ModelKey;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference shares of the versions that labelled a window, read from their manifests
 * ({@code referenceDistribution}), where the TaskManagers find each version: the last command that named it, or its
 * place in the store ({@link ModelSource#restoreTarget}). Each version's manifest is read once per subtask; a
 * manifest that no longer matches the sha256 its command pinned gives no reference (logged), since the figure would
 * describe another artifact.
 */
public final class ManifestReferences implements DriftReference {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ManifestReferences.class);

    /** Cached for versions without a reference too: a window of every topic scope must not re-read the file. */
    private static final double[] NONE_RECORDED = new double[0];

    private final ModelSource models;
    private transient Map<ModelKey, double[]> known;

    public ManifestReferences(ModelSource models) {
        this.models = models;
    }

    @Override
    public double[] shares(String modelName, String modelVersion) {
        if (known == null) {
            known = new HashMap<>();
        }
        ModelKey key;
        try {
            key = new ModelKey(modelName, modelVersion);
        } catch (IllegalArgumentException e) {
            return null;
        }
        double[] shares = known.computeIfAbsent(key, k -> {
            double[] read = read(k);
            return read == null ? NONE_RECORDED : read;
        });
        return shares == NONE_RECORDED ? null : shares;
    }

    private double[] read(ModelKey key) {
        try {
            ModelTarget where = models.restoreTarget(key);
            Path dir = Path.of(where.location);
            if (where.manifestSha256 != null && !where.manifestSha256.isBlank()
                    && !where.manifestSha256.equalsIgnoreCase(ArtifactFiles.sha256(dir.resolve(ArtifactFiles.MANIFEST)))) {
                LOG.warn("no drift reference for {}: {} no longer holds the manifest its command pinned", key, dir);
                return null;
            }
            double[] shares = ArtifactFiles.readManifest(dir).referenceShares();
            if (shares == null) {
                LOG.info("no drift reference for {}: its manifest records no referenceDistribution (published before it)", key);
            }
            return shares;
        } catch (RuntimeException e) {
            LOG.warn("no drift reference for {}: {}", key, e.toString());
            return null;
        }
    }
}
