package com.emotionmonitor.job.model;

import com.emotionmonitor.model.ModelLoadException;
import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.store.ManifestSignature;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a model command must satisfy before the job even starts loading the version it names (settings
 * {@code model.allowed-roots}, {@code model.require-sha256}, {@code model.trusted-key}): its directory lies inside the
 * model store or another configured root (after following symbolic links), it pins the sha256 of the manifest it
 * means, and, when the team's public key is configured, that manifest carries the team's signature. The version the
 * job starts with passes the same location and signature checks when the job is built.
 *
 * @param roots absolute, real paths of the directories versions may be served from; empty: anywhere (tests only)
 * @param trustedKeyPem the team's Ed25519 public key (PEM), or null: signatures not required
 */
public record ModelTrust(List<String> roots, boolean requireSha256, String trustedKeyPem) implements Serializable {

    /** No checks at all: for test sources that are not the job's. */
    public static final ModelTrust NONE = new ModelTrust(List.of(), false, null);

    public ModelTrust {
        roots = List.copyOf(roots);
        if (trustedKeyPem != null) {
            ManifestSignature.publicKey(trustedKeyPem); // refuses a bad key at start, not at the first command
        }
    }

    /** Trust the model store alone, pinning not required, no signatures: what tests of other things use. */
    public static ModelTrust storeOnly(Path storeRoot) {
        return new ModelTrust(List.of(realPath(storeRoot).toString()), false, null);
    }

    /**
     * @param extraRoots more directories versions may come from (the store is always one)
     * @param trustedKey the public key file, or null
     */
    public static ModelTrust of(Path storeRoot, List<Path> extraRoots, boolean requireSha256, Path trustedKey) {
        List<String> roots = new ArrayList<>();
        roots.add(realPath(storeRoot).toString());
        extraRoots.forEach(r -> roots.add(realPath(r).toString()));
        String pem = null;
        if (trustedKey != null) {
            try {
                pem = Files.readString(trustedKey);
            } catch (IOException e) {
                throw new IllegalArgumentException("model.trusted-key " + trustedKey.toAbsolutePath() + " cannot be read: " + e.getMessage(), e);
            }
        }
        return new ModelTrust(roots, requireSha256, pem);
    }

    /** @throws IllegalArgumentException when {@code versionDir} lies outside every root */
    public void checkLocation(Path versionDir) {
        if (roots.isEmpty()) {
            return;
        }
        Path real = realPath(versionDir);
        for (String root : roots) {
            if (real.startsWith(Path.of(root))) {
                return;
            }
        }
        throw new IllegalArgumentException("artifact location " + versionDir + (real.equals(versionDir) ? "" : " (" + real + ")")
                + " is outside the model store roots " + roots + " (model.store, model.allowed-roots)");
    }

    /** @throws IllegalArgumentException when pinning is required and the command pins nothing */
    public void checkPinned(String manifestSha256) {
        if (requireSha256 && (manifestSha256 == null || manifestSha256.isBlank())) {
            throw new IllegalArgumentException("the command does not pin the manifest's sha256, which this job requires"
                    + " (model.require-sha256): bin/emotion model activate sends it");
        }
    }

    /**
     * With a trusted key: verifies the signature of the manifest in {@code versionDir} and that it is the manifest the
     * command pinned (if it pinned one). Returns the sha256 of the verified manifest, or null without a trusted key.
     *
     * @throws ModelLoadException saying why the version is not trusted
     */
    public String checkSigned(Path versionDir, String pinnedSha256) {
        if (trustedKeyPem == null) {
            return null;
        }
        byte[] manifest;
        try {
            manifest = Files.readAllBytes(versionDir.resolve(ArtifactFiles.MANIFEST));
        } catch (IOException e) {
            throw new ModelLoadException(versionDir + ": " + ArtifactFiles.MANIFEST + " cannot be read: " + e.getMessage(), e);
        }
        ManifestSignature.verify(versionDir, manifest, ManifestSignature.publicKey(trustedKeyPem));
        String sha = ArtifactFiles.sha256(manifest);
        if (pinnedSha256 != null && !pinnedSha256.isBlank() && !pinnedSha256.equalsIgnoreCase(sha)) {
            throw new ModelLoadException(versionDir + ": sha256 mismatch for manifest.json (command " + pinnedSha256
                    + ", signed manifest " + sha + ")");
        }
        return sha;
    }

    private static Path realPath(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            return Files.exists(abs) ? abs.toRealPath() : abs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve " + abs + ": " + e.getMessage(), e);
        }
    }
}
