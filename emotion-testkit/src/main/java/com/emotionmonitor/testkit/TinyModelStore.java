package com.emotionmonitor.testkit;

import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.store.ModelManifest;
import com.emotionmonitor.train.TinyRecipe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.flink.util.FileUtils;

/**
 * A model store for the model tests: two real tiny versions ({@code tiny/v1}, {@code tiny/v2}, different seeds,
 * trained once per test JVM in a few seconds) and helpers that publish broken variants the way they happen for real.
 */
public final class TinyModelStore {

    public static final String NAME = "tiny";

    private static Path root;

    private TinyModelStore() {}

    /** The store, training v1 and v2 on first use. */
    public static synchronized Path root() {
        if (root == null) {
            try {
                Path dir = Files.createTempDirectory("tiny-model-store");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> FileUtils.deleteDirectoryQuietly(dir.toFile())));
                TinyRecipe.trainAndPublish(dir, NAME, "v1", 1L);
                TinyRecipe.trainAndPublish(dir, NAME, "v2", 2L);
                root = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    public static Path dir(String version) {
        return root().resolve(NAME).resolve(version);
    }

    /** v1's files republished as {@code version}, then one byte of the weights flipped: a corrupted copy. */
    public static synchronized Path tampered(String version) {
        if (Files.exists(dir(version))) {
            return dir(version); // flipping again would repair it
        }
        Path dir = republish(version, m -> m, false);
        flipByte(dir.resolve(EmotionModel.WEIGHTS));
        return dir;
    }

    /** v1's files republished as {@code version} with a changed manifest (checksums correct). */
    public static synchronized Path withManifest(String version, UnaryOperator<ModelManifest> change) {
        return republish(version, change, false);
    }

    /** v1's manifest and vocabulary with weights that are not a parameter file (checksums correct). */
    public static synchronized Path withBrokenWeights(String version) {
        return republish(version, m -> m, true);
    }

    /** The manifest with these labels. */
    public static UnaryOperator<ModelManifest> labels(List<String> labels) {
        return m -> new ModelManifest(m.name(), m.version(), m.kind(), m.createdAt(), m.architecture(), labels, m.maxLength(),
                m.preprocessingVersion(), m.parent(), m.training(), m.metrics(), m.files(), m.ensemble());
    }

    private static Path republish(String version, UnaryOperator<ModelManifest> change, boolean garbageWeights) {
        Path target = dir(version);
        if (Files.exists(target)) {
            return target;
        }
        try {
            Path staging = Files.createTempDirectory("republish");
            try (Stream<Path> files = Files.list(dir("v1"))) {
                for (Path f : files.toList()) {
                    if (!f.getFileName().toString().equals(ArtifactFiles.MANIFEST)) {
                        Files.copy(f, staging.resolve(f.getFileName()));
                    }
                }
            }
            if (garbageWeights) {
                Files.writeString(staging.resolve(EmotionModel.WEIGHTS), "these are not weights");
            }
            ModelManifest v1 = ArtifactFiles.readManifest(dir("v1"));
            ModelManifest renamed = new ModelManifest(v1.name(), version, v1.kind(), v1.createdAt(), v1.architecture(), v1.labels(),
                    v1.maxLength(), v1.preprocessingVersion(), v1.parent(), v1.training(), v1.metrics(), null, v1.ensemble());
            Path published = ArtifactFiles.publish(staging, root(), change.apply(renamed));
            FileUtils.deleteDirectoryQuietly(staging.toFile());
            return published;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Flips one byte in the middle of {@code file}: a corrupted copy the checksums must catch. */
    public static void flipByte(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length / 2] ^= 0x01;
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
