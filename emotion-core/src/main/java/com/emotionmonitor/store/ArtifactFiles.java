package com.emotionmonitor.store;

import com.emotionmonitor.model.ModelLoadException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Checksums and the publish/verify rules of a model-store version directory: every file but the
 * manifest is listed with its sha256; nothing is missing, nothing is extra, nothing differs.
 */
public final class ArtifactFiles {

    public static final String MANIFEST = "manifest.json";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ArtifactFiles() {}

    public static ModelManifest readManifest(Path versionDir) {
        Path m = versionDir.resolve(MANIFEST);
        if (!Files.isDirectory(versionDir)) {
            throw new ModelLoadException("model version " + versionDir + " does not exist");
        }
        if (!Files.isRegularFile(m)) {
            throw new ModelLoadException("model version " + versionDir + " has no " + MANIFEST + ": not a published version");
        }
        try {
            return JSON.readValue(m.toFile(), ModelManifest.class);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + m + ": " + e.getMessage(), e);
        }
    }

    /** Verifies every checksum of a version directory; returns its manifest or throws with the reason. */
    public static ModelManifest verify(Path versionDir) {
        ModelManifest manifest = readManifest(versionDir);
        if (manifest.files() == null || manifest.files().isEmpty()) {
            throw new ModelLoadException(versionDir + ": manifest lists no files");
        }
        for (Map.Entry<String, String> e : manifest.files().entrySet()) {
            Path f = versionDir.resolve(e.getKey());
            if (!Files.isRegularFile(f)) {
                throw new ModelLoadException(versionDir + ": file " + e.getKey() + " listed in the manifest is missing");
            }
            String actual = sha256(f);
            if (!actual.equals(e.getValue())) {
                throw new ModelLoadException(versionDir + ": sha256 mismatch for " + e.getKey() + " (manifest "
                        + e.getValue() + ", file " + actual + "): the version was modified or corrupted");
            }
        }
        for (String present : listFiles(versionDir).keySet()) {
            // The signature signs the manifest, so it cannot be listed in it.
            if (!present.equals(MANIFEST) && !present.equals(ManifestSignature.FILE) && !manifest.files().containsKey(present)) {
                throw new ModelLoadException(versionDir + ": file " + present + " is not listed in the manifest");
            }
        }
        return manifest;
    }

    /**
     * Publishes the files of {@code staging} as {@code storeRoot/name/version}, immutably: refuses an
     * existing version, writes checksums into the manifest, then verifies what it wrote.
     */
    public static Path publish(Path staging, Path storeRoot, ModelManifest manifest) throws IOException {
        Path target = storeRoot.resolve(manifest.name()).resolve(manifest.version());
        if (Files.exists(target)) {
            throw new IllegalStateException("model version " + target + " already exists: versions are immutable, pick a new version");
        }
        Path tmp = storeRoot.resolve(manifest.name()).resolve("." + manifest.version() + ".tmp");
        Files.createDirectories(tmp);
        Map<String, String> sums = new TreeMap<>();
        for (Map.Entry<String, Path> f : listFiles(staging).entrySet()) {
            if (f.getKey().equals(MANIFEST) || f.getKey().equals(ManifestSignature.FILE)) {
                continue; // a new manifest: the old one's signature signs nothing here
            }
            Files.copy(f.getValue(), tmp.resolve(f.getKey()));
            sums.put(f.getKey(), sha256(tmp.resolve(f.getKey())));
        }
        JSON.writeValue(tmp.resolve(MANIFEST).toFile(), manifest.withFiles(sums));
        Files.move(tmp, target);
        verify(target);
        return target;
    }

    private static Map<String, Path> listFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            Map<String, Path> out = new TreeMap<>();
            s.filter(Files::isRegularFile).forEach(p -> out.put(p.getFileName().toString(), p));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code bytes} to {@code file} through a sibling temporary file and an atomic rename, creating the
     * directory: a reader never sees half a file. Not Files.createTempFile: its 0600 mode would follow the file
     * into the model store.
     */
    public static Path writeAtomically(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return file;
    }

    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
