package com.emotionmonitor.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import com.emotionmonitor.model.nn.BertInputs;
import com.emotionmonitor.model.nn.EmotionClassifierBlock;
import com.emotionmonitor.text.BertChineseTokenizer;
import com.emotionmonitor.text.Encoding;
import com.emotionmonitor.text.PostPreprocessor;
import com.emotionmonitor.text.Preprocessing;
import com.emotionmonitor.text.TextPipeline;
import com.emotionmonitor.text.Vocabulary;
import com.emotionmonitor.text.WeiboTextCleaner;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A published classifier version, loaded and ready to serve: verified (manifest, every sha256, labels,
 * preprocessing version), with its own text pipeline, predicting whole batches in one forward pass.
 * Each batch's arrays live in a per-batch manager closed right after, so native memory stays flat.
 */
public final class EmotionModel implements BatchPredictor, AutoCloseable {

    public static final String WEIGHTS = "model.params";
    public static final String VOCAB = "vocab.txt";

    private final ModelManifest manifest;
    private final TextPipeline pipeline;
    private final NDManager manager;
    private final EmotionClassifierBlock block;
    private final ParameterStore parameters;
    private final int padId;
    /** The character n-gram half of an ensemble version, or null. */
    private final BatchPredictor ngram;
    private final double ngramWeight;
    /** One forward pass at a time per loaded model: the micro-batcher already serialises per device. */
    private final ReentrantLock lock = new ReentrantLock();

    private EmotionModel(ModelManifest manifest, TextPipeline pipeline, NDManager manager, EmotionClassifierBlock block) {
        this(manifest, pipeline, manager, block, null, 0);
    }

    private EmotionModel(ModelManifest manifest, TextPipeline pipeline, NDManager manager, EmotionClassifierBlock block,
            BatchPredictor ngram, double ngramWeight) {
        this.ngram = ngram;
        this.ngramWeight = ngramWeight;
        this.manifest = manifest;
        this.pipeline = pipeline;
        this.manager = manager;
        this.block = block;
        this.parameters = new ParameterStore(manager, false);
        this.padId = pipeline.tokenizer().vocabulary().padId();
    }

    public static EmotionModel load(Path versionDir) {
        return load(versionDir, "auto");
    }

    /** Loads and verifies a version; a {@link ModelLoadException} says exactly why one is refused. */
    public static EmotionModel load(Path versionDir, String device) {
        ModelManifest manifest = ArtifactFiles.verify(versionDir);
        checkCompatible(versionDir, manifest);
        Vocabulary vocab = Vocabulary.load(versionDir.resolve(VOCAB));
        if (vocab.size() != manifest.architecture().vocabSize()) {
            throw new ModelLoadException(versionDir + ": vocab.txt has " + vocab.size() + " tokens but the architecture expects "
                    + manifest.architecture().vocabSize());
        }
        // The model is served with exactly the cleaning it was trained with (its manifest names it).
        PostPreprocessor preprocessor = new PostPreprocessor(
                new WeiboTextCleaner(Preprocessing.optionsFor(manifest.preprocessingVersion())), Preprocessing.MAX_CHARS);
        TextPipeline pipeline = new TextPipeline(preprocessor, new BertChineseTokenizer(vocab, manifest.maxLength()));
        Device dev = DeviceSelector.select(device);
        NDManager manager = NDManager.newBaseManager(dev, "PyTorch");
        try {
            EmotionClassifierBlock block = new EmotionClassifierBlock(manifest.architecture());
            block.initialize(manager, DataType.FLOAT32, ModelShapes.classifierInputs());
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(versionDir.resolve(WEIGHTS))))) {
                block.loadParameters(manager, in);
            }
            ModelManifest.Ensemble ensemble = manifest.ensemble();
            if (ensemble == null) {
                return new EmotionModel(manifest, pipeline, manager, block);
            }
            com.emotionmonitor.model.ngram.NgramClassifier ngram = loadNgram(versionDir, ensemble, vocab);
            return new EmotionModel(manifest, pipeline, manager, block, ngram, ensemble.ngramWeight());
        } catch (IOException | MalformedModelException | RuntimeException e) {
            manager.close();
            if (e instanceof ModelLoadException mle) {
                throw mle;
            }
            throw new ModelLoadException(versionDir + ": weights do not load: " + e.getMessage(), e);
        }
    }

    /**
     * A randomly initialised classifier of the given architecture, for SPEED measurements only (inference
     * cost does not depend on the weights). Its manifest says so; it is never published.
     */
    public static EmotionModel untrainedForBenchmark(BertConfig architecture, Vocabulary vocab, String device) {
        if (vocab.size() != architecture.vocabSize()) {
            throw new IllegalArgumentException("vocabulary has " + vocab.size() + " tokens, architecture " + architecture.vocabSize());
        }
        ModelManifest manifest = new ModelManifest("untrained-benchmark", architecture.shortName(), CLASSIFIER_KIND_FOR_BENCH,
                java.time.Instant.now().toString(), architecture,
                Arrays.stream(Emotion.values()).map(Emotion::label).toList(), Preprocessing.MAX_CHARS + 2, Preprocessing.VERSION,
                null, java.util.Map.of("purpose", "speed benchmark only: random weights"), java.util.Map.of(), java.util.Map.of(), null);
        NDManager manager = NDManager.newBaseManager(DeviceSelector.select(device), "PyTorch");
        EmotionClassifierBlock block = new EmotionClassifierBlock(architecture);
        block.setInitializer(new ai.djl.training.initializer.TruncatedNormalInitializer(0.02f), ai.djl.nn.Parameter.Type.WEIGHT);
        block.initialize(manager, DataType.FLOAT32, ModelShapes.classifierInputs());
        return new EmotionModel(manifest, TextPipeline.standard(vocab), manager, block);
    }

    private static final String CLASSIFIER_KIND_FOR_BENCH = "untrained-benchmark";

    private static com.emotionmonitor.model.ngram.NgramClassifier loadNgram(Path dir, ModelManifest.Ensemble e, Vocabulary vocab)
            throws IOException {
        if (e.ngramWeight() < 0 || e.ngramWeight() > 1) {
            throw new ModelLoadException(dir + ": ensemble weight " + e.ngramWeight() + " is outside [0, 1]");
        }
        if (!com.emotionmonitor.model.ngram.NgramClassifier.FILE_NAME.equals(e.ngramFile())) {
            throw new ModelLoadException(dir + ": unsupported n-gram file name " + e.ngramFile());
        }
        com.emotionmonitor.model.ngram.NgramClassifier ngram = com.emotionmonitor.model.ngram.NgramClassifier.load(dir);
        try {
            ngram.requireVocabulary(vocab);
        } catch (IllegalArgumentException | IllegalStateException mismatch) {
            throw new ModelLoadException(dir + ": the n-gram model was trained on another vocabulary: " + mismatch.getMessage());
        }
        return ngram;
    }

    /**
     * Fine-tuned weights not yet published (evaluation and ensemble tuning before publishing). The
     * manifest is synthetic and says so.
     */
    public static EmotionModel unpublished(BertConfig architecture, Vocabulary vocab, Path weights, String device) {
        ModelManifest manifest = new ModelManifest("unpublished", weights.getFileName().toString(), ModelManifest.CLASSIFIER,
                java.time.Instant.now().toString(), architecture,
                Arrays.stream(Emotion.values()).map(Emotion::label).toList(), Preprocessing.MAX_CHARS + 2, Preprocessing.VERSION,
                null, java.util.Map.of(), java.util.Map.of(), java.util.Map.of(), null);
        NDManager manager = NDManager.newBaseManager(DeviceSelector.select(device), "PyTorch");
        try {
            EmotionClassifierBlock block = new EmotionClassifierBlock(architecture);
            block.initialize(manager, DataType.FLOAT32, ModelShapes.classifierInputs());
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(weights)))) {
                block.loadParameters(manager, in);
            }
            return new EmotionModel(manifest, TextPipeline.standard(vocab), manager, block);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            manager.close();
            throw new ModelLoadException("weights " + weights + " do not load: " + e.getMessage(), e);
        }
    }

    private static void checkCompatible(Path dir, ModelManifest m) {
        if (!ModelManifest.CLASSIFIER.equals(m.kind())) {
            throw new ModelLoadException(dir + ": kind is '" + m.kind() + "', not a classifier");
        }
        List<String> expected = Arrays.stream(Emotion.values()).map(Emotion::label).toList();
        if (!expected.equals(m.labels())) {
            throw new ModelLoadException(dir + ": labels " + m.labels() + " differ from the job's " + expected);
        }
        try {
            Preprocessing.optionsFor(m.preprocessingVersion());
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(dir + ": trained with preprocessing " + m.preprocessingVersion()
                    + ", which this build cannot reproduce (" + e.getMessage() + ")");
        }
        if (m.architecture() == null || m.maxLength() < 3 || m.maxLength() > m.architecture().maxPositions()) {
            throw new ModelLoadException(dir + ": max length " + m.maxLength() + " does not fit the architecture");
        }
    }

    @Override
    public List<Prediction> predict(List<Encoding> batch) {
        if (batch.isEmpty()) {
            return List.of();
        }
        float[] probs;
        lock.lock();
        try (NDManager scope = manager.newSubManager()) {
            NDList in = BertInputs.of(scope, batch, padId);
            NDArray logits = block.forward(parameters, in, false).head();
            probs = logits.softmax(1).toFloatArray();
        } finally {
            lock.unlock();
        }
        int k = Emotion.count();
        List<Prediction> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            out.add(Prediction.fromProbabilities(Arrays.copyOfRange(probs, i * k, (i + 1) * k)));
        }
        return ngram == null ? out : EnsemblePredictor.mix(out, ngram.predict(batch), ngramWeight);
    }

    /** Cleans, tokenizes and classifies raw texts (convenience for the CLI and tests). */
    public List<Prediction> classify(List<String> texts) {
        return predict(texts.stream().map(t -> pipeline.prepare(t).encoding()).toList());
    }

    public ModelManifest manifest() {
        return manifest;
    }

    public TextPipeline textPipeline() {
        return pipeline;
    }

    public Device device() {
        return manager.getDevice();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            manager.close();
        } finally {
            lock.unlock();
        }
    }
}
