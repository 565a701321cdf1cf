package com.emotionmonitor.train;

import com.emotionmonitor.text.Vocabulary;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A distillation checkpoint, {@code workDir/checkpoint/}: the student's weights ({@value #STUDENT}, our weight
 * format), the optimizer's moments ({@value #OPTIMIZER}), the vocabulary and {@code state.json}. Written to a
 * temporary directory and renamed into place, so a run killed mid-write keeps its previous checkpoint. It is also
 * what {@code train finetune --init-from} starts the gold-label phase from.
 */
public final class DistillCheckpoint {

    public static final String STUDENT = "student.params";
    public static final String OPTIMIZER = "optimizer.bin";
    public static final String VOCAB = "vocab.txt";
    public static final String STATE = "state.json";
    public static final String LATEST = "checkpoint";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final DistillState state;

    private DistillCheckpoint(Path dir, DistillState state) {
        this.dir = dir;
        this.state = state;
    }

    /** A checkpoint directory, or a work directory holding one. */
    public static DistillCheckpoint read(Path path) throws IOException {
        Path dir = Files.isRegularFile(path.resolve(STATE)) ? path : path.resolve(LATEST);
        for (String f : new String[] {STUDENT, VOCAB, STATE}) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new IllegalArgumentException("not a distillation checkpoint: " + dir.resolve(f) + " is missing");
            }
        }
        return new DistillCheckpoint(dir, JSON.readValue(dir.resolve(STATE).toFile(), DistillState.class));
    }

    public static boolean exists(Path workDir) {
        return Files.isRegularFile(workDir.resolve(LATEST).resolve(STATE));
    }

    public DistillState state() {
        return state;
    }

    public Path dir() {
        return dir;
    }

    public Path studentWeights() {
        return dir.resolve(STUDENT);
    }

    public Path optimizerState() {
        return dir.resolve(OPTIMIZER);
    }

    public Vocabulary vocabulary() {
        return Vocabulary.load(dir.resolve(VOCAB));
    }

    /** Writes the checkpoint: {@code writeWeights} fills the temporary directory with the two weight files. */
    public static Path write(Path workDir, DistillState state, Vocabulary vocab, IoAction writeWeights) throws IOException {
        return CheckpointDirectory.replace(workDir, LATEST, false, tmp -> {
            writeWeights.write(tmp);
            vocab.save(tmp.resolve(VOCAB));
            JSON.writeValue(tmp.resolve(STATE).toFile(), state);
        });
    }

    /** Writes into a directory. */
    public interface IoAction {
        void write(Path dir) throws IOException;
    }
}
