package com.emotionmonitor.bench;

import com.emotionmonitor.job.model.StoreModelSource;
import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.store.ModelManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A scratch model store for the shadow runs of {@code bench pipeline}: the serving version copied as it is, and the
 * candidate beside it (another published version, or by default the serving version's own files republished as
 * {@code <version>-shadow}, so the shadow costs exactly what a candidate of the same size costs). The job only serves
 * versions inside its store, and the real store is not written to. Deleted on close.
 */
public final class ShadowStore implements AutoCloseable {

    public static final String COPY_SUFFIX = "-shadow";

    private final Path root;
    private final StoreModelSource serving;
    private final String candidate;

    private ShadowStore(Path root, StoreModelSource serving, String candidate) {
        this.root = root;
        this.serving = serving;
        this.candidate = candidate;
    }

    /** @param candidateVersion a published version of the same model in {@code model}'s store, or null for a copy */
    public static ShadowStore of(StoreModelSource model, String candidateVersion) throws IOException {
        Path root = Files.createTempDirectory("bench-shadow-store");
        try {
            String name = model.modelName();
            copyTree(model.versionDir(), root.resolve(name).resolve(model.modelVersion()));
            String candidate;
            if (candidateVersion != null) {
                copyTree(model.storeRoot().resolve(name).resolve(candidateVersion), root.resolve(name).resolve(candidateVersion));
                candidate = candidateVersion;
            } else {
                candidate = model.modelVersion() + COPY_SUFFIX;
                Path staging = Files.createTempDirectory("bench-shadow-staging");
                try (Stream<Path> files = Files.list(model.versionDir())) {
                    for (Path f : files.toList()) {
                        if (!f.getFileName().toString().startsWith(ArtifactFiles.MANIFEST)) { // the manifest and its signature
                            Files.copy(f, staging.resolve(f.getFileName()));
                        }
                    }
                }
                ModelManifest manifest = ArtifactFiles.readManifest(model.versionDir());
                ArtifactFiles.publish(staging, root, manifest.renamed(name, candidate));
                deleteTree(staging);
            }
            return new ShadowStore(root, StoreModelSource.resolve(root, name, model.modelVersion()), candidate);
        } catch (IOException | RuntimeException e) {
            deleteTree(root);
            throw e;
        }
    }

    /** The serving version, from the scratch store. */
    public StoreModelSource serving() {
        return serving;
    }

    /** The candidate's version name in the scratch store. */
    public String candidate() {
        return candidate;
    }

    @Override
    public void close() throws IOException {
        deleteTree(root);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
