package com.emotionmonitor.store;

import com.emotionmonitor.model.ModelLoadException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The model store on disk: {@code <root>/<model-name>/<version>/manifest.json ...}. "Newest" means the
 * latest {@code createdAt} in the manifests (ties broken by version name), not directory order.
 */
public final class ModelStore {

    private ModelStore() {}

    /** Every published version of a model, oldest first (manifests read, checksums not verified). */
    public static List<ModelManifest> versions(Path storeRoot, String modelName) {
        Path dir = storeRoot.resolve(modelName);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<ModelManifest> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path v : s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                if (Files.isRegularFile(v.resolve(ArtifactFiles.MANIFEST))) {
                    out.add(ArtifactFiles.readManifest(v));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing((ModelManifest m) -> m.createdAt() == null ? "" : m.createdAt())
                .thenComparing(ModelManifest::version));
        return out;
    }

    /** The directory of the newest version; throws naming the store when there is none. */
    public static Path latest(Path storeRoot, String modelName) {
        List<ModelManifest> all = versions(storeRoot, modelName);
        if (all.isEmpty()) {
            throw new ModelLoadException("no published version of model '" + modelName + "' under " + storeRoot.toAbsolutePath());
        }
        return storeRoot.resolve(modelName).resolve(all.get(all.size() - 1).version());
    }

    public static Path version(Path storeRoot, String modelName, String version) {
        Path dir = storeRoot.resolve(modelName).resolve(version);
        if (!Files.isDirectory(dir)) {
            throw new ModelLoadException("model version " + modelName + "/" + version + " does not exist under "
                    + storeRoot.toAbsolutePath());
        }
        return dir;
    }
}
