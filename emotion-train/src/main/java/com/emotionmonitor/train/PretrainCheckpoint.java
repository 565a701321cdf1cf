package com.emotionmonitor.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.model.nn.BlockWeights;
import com.emotionmonitor.model.ModelShapes;
import com.emotionmonitor.model.ngram.WeightFormat;
import com.emotionmonitor.model.nn.MaskedLmModel;
import com.emotionmonitor.model.nn.ReplacedTokenModel;
import com.emotionmonitor.text.Vocabulary;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A pretraining checkpoint: {@code encoder.params}, {@code mlm-head.params}, {@code vocab.txt} and
 * {@code state.json}; an ELECTRA run ({@link PretrainState#RTD}) keeps its discriminator's per-token head in
 * {@code rtd-head.params} instead of the masked-LM head, and its generator in {@code generator.params}. The
 * encoder is the same file either way, so fine-tuning and publishing read both alike. A run continued from an
 * imported encoder ({@code --init}) also carries that encoder's pooler ({@code pooler.params}), which masked LM
 * does not train. Written to a temporary
 * directory and renamed into place, so a run killed mid-write never leaves a half checkpoint. The same files, plus a manifest, make a published
 * pretrained encoder in the model store, which {@code --resume} also accepts.
 */
public final class PretrainCheckpoint {

    public static final String ENCODER = "encoder.params";
    public static final String HEAD = "mlm-head.params";
    public static final String RTD_HEAD = "rtd-head.params";
    public static final String GENERATOR = "generator.params";
    public static final String VOCAB = "vocab.txt";
    public static final String STATE = "state.json";
    public static final String POOLER = "pooler.params";
    public static final String LATEST = "checkpoint";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final PretrainState state;
    private final Vocabulary vocabulary;

    private PretrainCheckpoint(Path dir, PretrainState state, Vocabulary vocabulary) {
        this.dir = dir;
        this.state = state;
        this.vocabulary = vocabulary;
    }

    public PretrainState state() {
        return state;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** The pooler carried from an imported start, or null. */
    public Path pooler() {
        return Files.isRegularFile(dir.resolve(POOLER)) ? dir.resolve(POOLER) : null;
    }

    /** Reads a checkpoint directory, a work directory holding one, or a published encoder version. */
    public static PretrainCheckpoint read(Path path) throws IOException {
        Path dir = Files.isRegularFile(path.resolve(STATE)) ? path : path.resolve(LATEST);
        for (String f : new String[] {STATE, ENCODER, VOCAB}) {
            requireFile(path, dir, f);
        }
        if (Files.isRegularFile(dir.resolve(ArtifactFiles.MANIFEST))) {
            ArtifactFiles.verify(dir);
        }
        PretrainState state = JSON.readValue(dir.resolve(STATE).toFile(), PretrainState.class);
        for (String f : headFiles(state)) {
            requireFile(path, dir, f);
        }
        Vocabulary vocab = Vocabulary.load(dir.resolve(VOCAB));
        if (!vocabSha256(vocab).equals(state.vocabSha256())) {
            throw new IllegalArgumentException("cannot resume from " + dir + ": vocab.txt does not match state.json");
        }
        return new PretrainCheckpoint(dir, state, vocab);
    }

    /** The files besides the encoder, vocabulary and state that a checkpoint of this objective holds. */
    static String[] headFiles(PretrainState state) {
        return state.replacedTokenDetection() ? new String[] {RTD_HEAD, GENERATOR} : new String[] {HEAD};
    }

    private static void requireFile(Path path, Path dir, String f) {
        if (!Files.isRegularFile(dir.resolve(f))) {
            throw new IllegalArgumentException("cannot resume from " + path + ": " + dir.resolve(f) + " is missing");
        }
    }

    /** Loads the saved encoder and head parameters into an initialised block. */
    public void loadInto(MaskedLmModel block, NDManager manager) throws IOException {
        if (state.replacedTokenDetection()) {
            throw new IllegalArgumentException(dir + " is an ELECTRA (rtd) checkpoint: it has no masked-LM head; resume it"
                    + " with --objective rtd");
        }
        load(block.encoder(), manager, ENCODER);
        load(block.head(), manager, HEAD);
    }

    /** Loads an ELECTRA checkpoint's discriminator (encoder + per-token head) and generator into initialised blocks. */
    public void loadInto(ReplacedTokenModel discriminator, MaskedLmModel generator, NDManager manager) throws IOException {
        if (!state.replacedTokenDetection()) {
            throw new IllegalArgumentException(dir + " is a masked-LM checkpoint, not an ELECTRA (rtd) one");
        }
        load(discriminator.encoder(), manager, ENCODER);
        load(discriminator.head(), manager, RTD_HEAD);
        load(generator, manager, GENERATOR);
    }

    private void load(ai.djl.nn.Block block, NDManager manager, String file) throws IOException {
        BlockWeights.load(block, manager, dir.resolve(file));
    }

    /**
     * Copies this checkpoint's four files into {@code target} (an existing, empty directory) with both
     * weight files stored in {@code format}: float16 halves a published encoder. Resuming from the copy
     * continues from the rounded weights.
     */
    public void copyTo(Path target, WeightFormat format) throws IOException {
        Files.copy(dir.resolve(VOCAB), target.resolve(VOCAB));
        Files.copy(dir.resolve(STATE), target.resolve(STATE));
        if (pooler() != null) {
            // Carried, never trained here: copied as it is.
            Files.copy(pooler(), target.resolve(POOLER));
        }
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            if (state.replacedTokenDetection()) {
                ReplacedTokenModel discriminator = new ReplacedTokenModel(state.architecture());
                discriminator.initialize(manager, DataType.FLOAT32, ModelShapes.classifierInputs());
                MaskedLmModel generator = new MaskedLmModel(state.generatorArchitecture());
                generator.initialize(manager, DataType.FLOAT32, ModelShapes.maskedLmInputs());
                loadInto(discriminator, generator, manager);
                BlockWeights.write(discriminator.encoder(), target.resolve(ENCODER), format);
                BlockWeights.write(discriminator.head(), target.resolve(RTD_HEAD), format);
                BlockWeights.write(generator, target.resolve(GENERATOR), format);
                return;
            }
            MaskedLmModel block = new MaskedLmModel(state.architecture());
            block.initialize(manager, DataType.FLOAT32, ModelShapes.maskedLmInputs());
            loadInto(block, manager);
            BlockWeights.write(block.encoder(), target.resolve(ENCODER), format);
            BlockWeights.write(block.head(), target.resolve(HEAD), format);
        }
    }

    /** Writes {@code workDir/checkpoint} atomically (the previous one is kept as checkpoint.prev). */
    public static Path write(Path workDir, PretrainState state, Vocabulary vocab, MaskedLmModel block) throws IOException {
        return write(workDir, state, vocab, block, null);
    }

    /** As {@link #write(Path, PretrainState, Vocabulary, MaskedLmModel)}, carrying {@code pooler} (null: none) along. */
    public static Path write(Path workDir, PretrainState state, Vocabulary vocab, MaskedLmModel block, Path pooler)
            throws IOException {
        // Read before the replace: the pooler may be the previous checkpoint's own file.
        byte[] poolerBytes = pooler != null ? Files.readAllBytes(pooler) : null;
        return CheckpointDirectory.replace(workDir, LATEST, true, tmp -> {
            if (poolerBytes != null) {
                Files.write(tmp.resolve(POOLER), poolerBytes);
            }
            try (DataOutputStream out = create(tmp.resolve(ENCODER))) {
                block.encoder().saveParameters(out);
            }
            try (DataOutputStream out = create(tmp.resolve(HEAD))) {
                block.head().saveParameters(out);
            }
            vocab.save(tmp.resolve(VOCAB));
            JSON.writeValue(tmp.resolve(STATE).toFile(), state);
        });
    }

    /** Writes an ELECTRA run's {@code workDir/checkpoint} atomically: the discriminator's encoder and head, the generator. */
    public static Path write(Path workDir, PretrainState state, Vocabulary vocab, ReplacedTokenModel discriminator,
            MaskedLmModel generator) throws IOException {
        return CheckpointDirectory.replace(workDir, LATEST, true, tmp -> {
            try (DataOutputStream out = create(tmp.resolve(ENCODER))) {
                discriminator.encoder().saveParameters(out);
            }
            try (DataOutputStream out = create(tmp.resolve(RTD_HEAD))) {
                discriminator.head().saveParameters(out);
            }
            try (DataOutputStream out = create(tmp.resolve(GENERATOR))) {
                generator.saveParameters(out);
            }
            vocab.save(tmp.resolve(VOCAB));
            JSON.writeValue(tmp.resolve(STATE).toFile(), state);
        });
    }

    public static String vocabSha256(Vocabulary vocab) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < vocab.size(); i++) {
            sb.append(vocab.token(i)).append('\n');
        }
        return ArtifactFiles.sha256(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static DataOutputStream create(Path p) throws IOException {
        return new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(p), 1 << 16));
    }
}
