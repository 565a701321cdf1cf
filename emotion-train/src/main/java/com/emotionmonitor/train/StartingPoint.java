package com.emotionmonitor.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.model.ModelShapes;
import com.emotionmonitor.model.nn.BlockWeights;
import com.emotionmonitor.model.nn.EmotionClassifierBlock;
import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.store.ClassifierRequirements;
import com.emotionmonitor.store.ModelManifest;
import com.emotionmonitor.text.TokenizerVariant;
import com.emotionmonitor.text.Vocabulary;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a fine-tune starts from ({@code train finetune --pretrained DIR}), one of three kinds:
 * <ul>
 *   <li>a pretrained encoder ({@link PretrainedEncoder}: ours, or one imported from Hugging Face or TensorFlow): the
 *       encoder is loaded, and its pooler when it has one; the classifier head starts fresh;</li>
 *   <li>a distillation checkpoint: the whole classifier the student became, head included (the gold-label phase after
 *       {@code train distill});</li>
 *   <li>a published classifier version: its BERT, head included, not its n-gram half (the second stage after an
 *       intermediate task, or more training of a served model on new labels).</li>
 * </ul>
 *
 * @param architecture what is trained from this start: the stored architecture, or its lower layers ({@link #withLowerLayers})
 * @param storedArchitecture the architecture of the weights on disk
 * @param tokenizer the tokenizer the starting weights were trained with; fine-tuning and the published classifier use it
 * @param encoder the pretrained encoder, or null when the start is a whole classifier
 * @param classifierWeights the whole classifier's weight file, or null when the start is an encoder
 * @param provenance what the start is, for the manifest of what is trained from it ({@link #provenance()})
 */
public record StartingPoint(Path dir, BertConfig architecture, BertConfig storedArchitecture, Vocabulary vocabulary,
        TokenizerVariant tokenizer, PretrainedEncoder encoder, Path classifierWeights, Map<String, Object> provenance) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLASSIFIER_KIND = "classifier";

    /**
     * Checks a run's {@code --keep-layers} against its {@code --pretrained} before anything is read.
     *
     * @throws IllegalArgumentException when {@code keepLayers} is negative, or positive without a start
     */
    public static void checkKeepLayers(Path pretrained, int keepLayers) {
        if (keepLayers < 0 || (keepLayers > 0 && pretrained == null)) {
            throw new IllegalArgumentException("--keep-layers needs --pretrained and N >= 1 (0 = all layers): " + keepLayers);
        }
    }

    /** {@link #read(Path)} cut to its lower {@code keepLayers} layers ({@link #withLowerLayers}); 0 keeps them all. */
    public static StartingPoint read(Path path, int keepLayers) throws IOException {
        StartingPoint start = read(path);
        return keepLayers > 0 ? start.withLowerLayers(keepLayers) : start;
    }

    /** Reads any of the three kinds; the error names the directory. */
    public static StartingPoint read(Path path) throws IOException {
        // A version is verified once, here; its manifest is then handed on rather than read and checked again.
        ModelManifest verified = Files.isRegularFile(path.resolve(ArtifactFiles.MANIFEST)) ? ArtifactFiles.verify(path) : null;
        if (verified != null && ModelManifest.CLASSIFIER.equals(verified.kind())) {
            return classifierVersion(path, verified);
        }
        boolean distilled = Files.isRegularFile(path.resolve(DistillCheckpoint.STUDENT))
                || Files.isRegularFile(path.resolve(DistillCheckpoint.LATEST).resolve(DistillCheckpoint.STUDENT));
        if (distilled) {
            // The student read the corpus with the tokenizer its state names (its own start's), whatever the teacher used.
            DistillCheckpoint ckpt = DistillCheckpoint.read(path);
            // A work directory is not kept: the manifest carries what the student learnt from and for how long.
            Map<String, Object> p = provenance("distillation-checkpoint", path);
            p.put("state", JSON.convertValue(ckpt.state(), Map.class));
            p.put("student_sha256", ArtifactFiles.sha256(ckpt.studentWeights()));
            return new StartingPoint(ckpt.dir(), ckpt.state().architecture(), ckpt.state().architecture(), ckpt.vocabulary(),
                    ckpt.state().tokenizer(), null, ckpt.studentWeights(), p);
        }
        PretrainedEncoder e = PretrainedEncoder.read(path, verified);
        Map<String, Object> p = provenance("pretrained-encoder", path);
        // A published encoder's verified manifest already holds the sum; a pretraining work checkpoint has none.
        p.put("encoder_sha256", verified != null ? verified.files().get(PretrainedEncoder.ENCODER)
                : ArtifactFiles.sha256(e.encoderWeights()));
        return new StartingPoint(e.dir(), e.architecture(), e.architecture(), e.vocabulary(), e.tokenizer(), e, null, p);
    }

    private static StartingPoint classifierVersion(Path dir, ModelManifest m) {
        if (m.routing() != null) {
            throw new IllegalArgumentException(dir + " is a routed version (two classifiers behind a gate): start from one of"
                    + " the versions it was built from instead");
        }
        ClassifierRequirements.emotions().check(m); // the head's classes must be ours, in our order
        Vocabulary vocab = Vocabulary.load(dir.resolve(EmotionModel.VOCAB));
        if (vocab.size() != m.architecture().vocabSize()) {
            throw new IllegalArgumentException(dir + ": vocab.txt has " + vocab.size() + " tokens, the architecture "
                    + m.architecture().vocabSize());
        }
        Map<String, Object> p = provenance(CLASSIFIER_KIND, dir);
        p.put("version", m.name() + "/" + m.version());
        p.put("manifest_sha256", ArtifactFiles.sha256(dir.resolve(ArtifactFiles.MANIFEST)));
        return new StartingPoint(dir, m.architecture(), m.architecture(), vocab, m.tokenizer(), null,
                dir.resolve(EmotionModel.WEIGHTS), p);
    }

    private static Map<String, Object> provenance(String kind, Path path) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("kind", kind);
        p.put("path", path.toString());
        return p;
    }

    /** True when the start is a whole classifier (distilled or published, head included), false for an encoder. */
    public boolean wholeClassifier() {
        return encoder == null;
    }

    /**
     * This start cut to its lower {@code n} layers: embeddings, layers {@code 0..n-1}, the final norm, pooler and head
     * as stored; the layers above are dropped. A shallower student starts nearer its teacher this way than from random
     * weights (DistilBERT starts from every other layer; the lower ones keep the embeddings' inputs they were trained on).
     *
     * @throws IllegalArgumentException when {@code n} is not between 1 and the stored depth
     */
    public StartingPoint withLowerLayers(int n) {
        if (n < 1 || n > storedArchitecture.layers()) {
            throw new IllegalArgumentException(dir + " has " + storedArchitecture.layers() + " layers: cannot keep the lower "
                    + n + " (1.." + storedArchitecture.layers() + ")");
        }
        Map<String, Object> p = new LinkedHashMap<>(provenance);
        if (n < storedArchitecture.layers()) {
            p.put("kept_layers", n + " of " + storedArchitecture.layers());
        } else {
            p.remove("kept_layers");
        }
        return new StartingPoint(dir, storedArchitecture.withLayers(n), storedArchitecture, vocabulary, tokenizer, encoder,
                classifierWeights, p);
    }

    /** Loads the starting weights into a freshly initialised classifier of {@link #architecture()}. */
    public void loadInto(EmotionClassifierBlock block, NDManager manager) throws IOException {
        if (architecture.layers() == storedArchitecture.layers()) {
            loadStored(block, manager);
            return;
        }
        // The stored weights go into a block of their own depth, whose lower layers are then copied over.
        try (NDManager scratch = manager.newSubManager()) {
            EmotionClassifierBlock stored = new EmotionClassifierBlock(storedArchitecture);
            stored.initialize(scratch, DataType.FLOAT32, ModelShapes.classifierInputs());
            loadStored(stored, scratch);
            LowerLayers.copy(stored.encoder(), block.encoder());
            if (wholeClassifier() || encoder.poolerWeights() != null) {
                LowerLayers.copy(stored.pooler(), block.pooler());
            }
            if (wholeClassifier()) {
                LowerLayers.copy(stored.output(), block.output());
            }
        }
    }

    private void loadStored(EmotionClassifierBlock block, NDManager manager) throws IOException {
        if (wholeClassifier()) {
            BlockWeights.load(block, manager, classifierWeights);
        } else {
            BlockWeights.load(block.encoder(), manager, encoder.encoderWeights());
            if (encoder.poolerWeights() != null) {
                BlockWeights.load(block.pooler(), manager, encoder.poolerWeights());
            }
        }
    }

    /** {@code "lower N of M layers"} when this start is cut ({@link #withLowerLayers}), else empty. */
    public String cut() {
        return architecture.layers() == storedArchitecture.layers() ? ""
                : "lower " + architecture.layers() + " of " + storedArchitecture.layers() + " layers";
    }

    /** {@code given} as a run's state names its start: with {@code " (lower N of M layers)"} when cut. */
    public String named(Path given) {
        return cut().isEmpty() ? given.toString() : given + " (" + cut() + ")";
    }

    /** What the log says the fine-tune starts from. */
    public String describe() {
        String cut = cut().isEmpty() ? "" : ", " + cut();
        if (wholeClassifier()) {
            return (CLASSIFIER_KIND.equals(provenance.get("kind")) ? "the published classifier " : "the distilled classifier in ")
                    + dir + " (head included" + cut + ")";
        }
        return "the encoder" + (encoder.poolerWeights() != null ? " and pooler" : "") + " in " + dir + " ("
                + architecture.shortName() + ", tokenizer " + tokenizer.id() + cut + ")";
    }
}
