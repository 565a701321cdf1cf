package com.emotionmonitor.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A fine-tuning checkpoint, {@code workDir/checkpoint/}: the classifier's weights as they are at that step
 * ({@value #WEIGHTS}, f32), the optimizer's moments ({@value #OPTIMIZER}), the best weights so far ({@value #BEST}, a
 * copy of the work directory's, so the two always agree) and {@code state.json}. Written whole and renamed into place
 * ({@link CheckpointDirectory}), so a run killed at any moment keeps its previous checkpoint.
 */
public final class FineTuneCheckpoint {

    public static final String WEIGHTS = "classifier.params";
    public static final String OPTIMIZER = "optimizer.bin";
    public static final String BEST = "best.params";
    public static final String STATE = "state.json";
    public static final String LATEST = "checkpoint";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final FineTuneState state;

    private FineTuneCheckpoint(Path dir, FineTuneState state) {
        this.dir = dir;
        this.state = state;
    }

    public static boolean exists(Path workDir) {
        return Files.isRegularFile(workDir.resolve(LATEST).resolve(STATE));
    }

    /** The checkpoint of a work directory. */
    public static FineTuneCheckpoint read(Path workDir) throws IOException {
        Path dir = workDir.resolve(LATEST);
        for (String f : new String[] {WEIGHTS, OPTIMIZER, STATE}) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new IllegalArgumentException("not a fine-tuning checkpoint: " + dir.resolve(f) + " is missing");
            }
        }
        return new FineTuneCheckpoint(dir, JSON.readValue(dir.resolve(STATE).toFile(), FineTuneState.class));
    }

    public FineTuneState state() {
        return state;
    }

    public Path weights() {
        return dir.resolve(WEIGHTS);
    }

    public Path optimizerState() {
        return dir.resolve(OPTIMIZER);
    }

    /** The best weights at the checkpoint, or null before the first selection. */
    public Path best() {
        return Files.isRegularFile(dir.resolve(BEST)) ? dir.resolve(BEST) : null;
    }

    /** Writes the checkpoint: {@code writeWeights} puts {@value #WEIGHTS} and {@value #OPTIMIZER} into the directory. */
    public static Path write(Path workDir, FineTuneState state, Path best, CheckpointDirectory.Filler writeWeights)
            throws IOException {
        return CheckpointDirectory.replace(workDir, LATEST, false, tmp -> {
            writeWeights.fill(tmp);
            if (best != null && Files.isRegularFile(best)) {
                Files.copy(best, tmp.resolve(BEST));
            }
            JSON.writeValue(tmp.resolve(STATE).toFile(), state);
        });
    }
}
