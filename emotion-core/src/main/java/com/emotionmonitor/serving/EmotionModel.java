package com.emotionmonitor.serving;

import com.emotionmonitor.model.BatchPredictor;
import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.model.DeviceSelector;
import com.emotionmonitor.model.Emotion;
import com.emotionmonitor.model.ModelLoadException;
import com.emotionmonitor.model.ModelShapes;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.model.nn.BlockWeights;
import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.store.ClassifierRequirements;
import com.emotionmonitor.store.ModelManifest;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import com.emotionmonitor.model.ngram.NgramClassifier;
import com.emotionmonitor.model.nn.BertInputs;
import com.emotionmonitor.model.nn.EmotionClassifierBlock;
import com.emotionmonitor.text.TokenizerVariant;
import com.emotionmonitor.text.Encoding;
import com.emotionmonitor.text.PostPreprocessor;
import com.emotionmonitor.text.PreparedText;
import com.emotionmonitor.text.Preprocessing;
import com.emotionmonitor.text.TextPipeline;
import com.emotionmonitor.text.Vocabulary;
import com.emotionmonitor.text.WeiboTextCleaner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
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
    /** The model every post goes to, unless a gate routes it to the expert. */
    private final Scorer main;
    /** A routed version's second model and its gate; both null otherwise. */
    private final Scorer expert;
    private final DomainGate gate;
    /** One forward pass at a time per loaded model: the micro-batcher already serialises per device. */
    private final ReentrantLock lock = new ReentrantLock();

    /** One BERT (and optionally its n-gram partner): the unit a routed version holds two of. */
    private static final class Scorer {
        final EmotionClassifierBlock block;
        final ParameterStore parameters;
        final NgramClassifier ngram;
        final double ngramWeight;

        Scorer(NDManager manager, EmotionClassifierBlock block, NgramClassifier ngram, double ngramWeight) {
            this.block = block;
            this.parameters = new ParameterStore(manager, false);
            this.ngram = ngram;
            this.ngramWeight = ngramWeight;
        }

        List<Prediction> predict(NDManager manager, List<Encoding> batch, int padId) {
            float[] probs;
            try (NDManager scope = manager.newSubManager()) {
                NDList in = BertInputs.of(scope, batch, padId);
                NDArray logits = block.forward(parameters, in, false).head();
                probs = logits.softmax(1).toFloatArray();
            }
            int k = Emotion.count();
            List<Prediction> out = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                out.add(Prediction.fromProbabilities(Arrays.copyOfRange(probs, i * k, (i + 1) * k)));
            }
            return ngram == null ? out : EnsemblePredictor.mix(out, ngram.predict(batch), ngramWeight);
        }
    }

    private EmotionModel(ModelManifest manifest, TextPipeline pipeline, NDManager manager, Scorer main, Scorer expert,
            DomainGate gate) {
        this.manifest = manifest;
        this.pipeline = pipeline;
        this.manager = manager;
        this.main = main;
        this.expert = expert;
        this.gate = gate;
    }

    private EmotionModel(ModelManifest manifest, TextPipeline pipeline, NDManager manager, EmotionClassifierBlock block) {
        this(manifest, pipeline, manager, new Scorer(manager, block, null, 0), null, null);
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
        TextPipeline pipeline = new TextPipeline(preprocessor, manifest.tokenizer().create(vocab, manifest.maxLength()));
        Device dev = DeviceSelector.select(device);
        NDManager manager = NDManager.newBaseManager(dev, "PyTorch");
        try {
            ModelManifest.Ensemble ensemble = manifest.ensemble();
            NgramClassifier ngram =
                    ensemble == null ? null : loadNgram(versionDir, ensemble.ngramFile(), ensemble.ngramWeight(), vocab);
            Scorer main = new Scorer(manager, loadBlock(manager, manifest.architecture(), versionDir.resolve(WEIGHTS)), ngram,
                    ensemble == null ? 0 : ensemble.ngramWeight());
            ModelManifest.Routing routing = manifest.routing();
            if (routing == null) {
                return new EmotionModel(manifest, pipeline, manager, main, null, null);
            }
            EmotionClassifierBlock expertBlock =
                    loadBlock(manager, manifest.architecture(), resolveListed(versionDir, routing.expertWeights()));
            NgramClassifier expertNgram = routing.expertNgramFile() == null ? null
                    : loadNgram(versionDir, routing.expertNgramFile(), routing.expertNgramWeight(), vocab);
            Scorer expert = new Scorer(manager, expertBlock, expertNgram, routing.expertNgramWeight());
            return new EmotionModel(manifest, pipeline, manager, main, expert, loadGate(versionDir, routing, vocab));
        } catch (IOException | RuntimeException e) {
            manager.close();
            if (e instanceof ModelLoadException mle) {
                throw mle;
            }
            throw new ModelLoadException(versionDir + ": weights do not load: " + (e.getMessage() != null ? e.getMessage()
                    : e.getClass().getSimpleName() + " without a message"), e);
        }
    }

    private static EmotionClassifierBlock loadBlock(NDManager manager, BertConfig architecture, Path weights)
            throws IOException {
        EmotionClassifierBlock block = new EmotionClassifierBlock(architecture);
        block.initialize(manager, DataType.FLOAT32, ModelShapes.classifierInputs());
        BlockWeights.load(block, manager, weights);
        return block;
    }

    /** A file the manifest names inside the version: never a path that leaves it (the checksums cover only the version). */
    private static Path resolveListed(Path dir, String fileName) {
        if (fileName == null || fileName.isBlank() || fileName.equals(".") || fileName.equals("..")
                || !fileName.equals(Path.of(fileName).getFileName().toString())) {
            throw new ModelLoadException(dir + ": '" + fileName + "' is not a file name inside the version");
        }
        return dir.resolve(fileName);
    }

    private static DomainGate loadGate(Path dir, ModelManifest.Routing routing, Vocabulary vocab) throws IOException {
        NgramClassifier gate = NgramClassifier.read(resolveListed(dir, routing.gateFile()));
        gate.requireLabels(routing.domains(), dir + ": gate " + routing.gateFile());
        requireSameVocabulary(dir, gate, vocab);
        try {
            return new DomainGate(gate, routing.threshold());
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(dir + ": routing: " + e.getMessage());
        }
    }

    /**
     * A randomly initialised classifier of the given architecture, for SPEED measurements only (inference
     * cost does not depend on the weights). Its manifest says so; it is never published.
     */
    public static EmotionModel untrainedForBenchmark(BertConfig architecture, Vocabulary vocab, String device) {
        return untrainedForBenchmark(architecture, vocab, TokenizerVariant.EMOTION_BERT_CHINESE, device);
    }

    /** {@link #untrainedForBenchmark(BertConfig, Vocabulary, String)} with the given tokenizer (e.g. an imported BERT's). */
    public static EmotionModel untrainedForBenchmark(BertConfig architecture, Vocabulary vocab, TokenizerVariant tokenizer,
            String device) {
        if (vocab.size() != architecture.vocabSize()) {
            throw new IllegalArgumentException("vocabulary has " + vocab.size() + " tokens, architecture " + architecture.vocabSize());
        }
        ModelManifest manifest = new ModelManifest("untrained-benchmark", architecture.shortName(), CLASSIFIER_KIND_FOR_BENCH,
                java.time.Instant.now().toString(), architecture,
                Arrays.stream(Emotion.values()).map(Emotion::label).toList(), TextPipeline.maxTokens(architecture.maxPositions()),
                Preprocessing.VERSION, null, java.util.Map.of("purpose", "speed benchmark only: random weights"), java.util.Map.of(), java.util.Map.of(), null,
                null, null, tokenizer);
        NDManager manager = NDManager.newBaseManager(DeviceSelector.select(device), "PyTorch");
        EmotionClassifierBlock block = new EmotionClassifierBlock(architecture);
        block.setInitializer(new ai.djl.training.initializer.TruncatedNormalInitializer(0.02f), ai.djl.nn.Parameter.Type.WEIGHT);
        block.initialize(manager, DataType.FLOAT32, ModelShapes.classifierInputs());
        return new EmotionModel(manifest, TextPipeline.standard(vocab, tokenizer, architecture.maxPositions()), manager, block);
    }

    private static final String CLASSIFIER_KIND_FOR_BENCH = "untrained-benchmark";

    private static NgramClassifier loadNgram(Path dir, String file, double weight, Vocabulary vocab) throws IOException {
        if (weight < 0 || weight > 1) {
            throw new ModelLoadException(dir + ": ensemble weight " + weight + " is outside [0, 1]");
        }
        NgramClassifier ngram = NgramClassifier.read(resolveListed(dir, file));
        ngram.requireLabels(NgramClassifier.emotionLabels(), dir + ": n-gram model " + file);
        requireSameVocabulary(dir, ngram, vocab);
        return ngram;
    }

    private static void requireSameVocabulary(Path dir, NgramClassifier ngram, Vocabulary vocab) {
        try {
            ngram.requireVocabulary(vocab);
        } catch (IllegalArgumentException | IllegalStateException mismatch) {
            throw new ModelLoadException(dir + ": the n-gram model was trained on another vocabulary: " + mismatch.getMessage());
        }
    }

    /**
     * Fine-tuned weights not yet published (evaluation and ensemble tuning before publishing). The
     * manifest is synthetic and says so.
     */
    public static EmotionModel unpublished(BertConfig architecture, Vocabulary vocab, Path weights, String device) {
        return unpublished(architecture, vocab, TokenizerVariant.EMOTION_BERT_CHINESE, weights, device);
    }

    /** {@link #unpublished(BertConfig, Vocabulary, Path, String)} with the tokenizer its encoder was pretrained with. */
    public static EmotionModel unpublished(BertConfig architecture, Vocabulary vocab, TokenizerVariant tokenizer, Path weights,
            String device) {
        ModelManifest manifest = new ModelManifest("unpublished", weights.getFileName().toString(), ModelManifest.CLASSIFIER,
                java.time.Instant.now().toString(), architecture,
                Arrays.stream(Emotion.values()).map(Emotion::label).toList(), TextPipeline.maxTokens(architecture.maxPositions()),
                Preprocessing.VERSION, null, java.util.Map.of(), java.util.Map.of(), java.util.Map.of(), null, null, null, tokenizer);
        NDManager manager = NDManager.newBaseManager(DeviceSelector.select(device), "PyTorch");
        try {
            return new EmotionModel(manifest, TextPipeline.standard(vocab, tokenizer, architecture.maxPositions()), manager,
                    loadBlock(manager, architecture, weights));
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw new ModelLoadException("weights " + weights + " do not load: " + e.getMessage(), e);
        }
    }

    private static void checkCompatible(Path dir, ModelManifest m) {
        if (m.architecture() == null) {
            throw new ModelLoadException(dir + ": the manifest has no architecture");
        }
        try {
            ClassifierRequirements.emotions().check(m);
        } catch (ModelLoadException e) {
            throw new ModelLoadException(dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<Prediction> predict(List<Encoding> batch) {
        if (batch.isEmpty()) {
            return List.of();
        }
        lock.lock();
        try {
            if (gate == null) {
                return main.predict(manager, batch, padId());
            }
            return routed(batch);
        } finally {
            lock.unlock();
        }
    }

    /** Splits the batch by the gate, runs each part through its model once, and puts the answers back in order. */
    private List<Prediction> routed(List<Encoding> batch) {
        boolean[] toExpert = gate.routes(batch);
        List<Encoding> mainPart = new ArrayList<>();
        List<Encoding> expertPart = new ArrayList<>();
        for (int i = 0; i < toExpert.length; i++) {
            (toExpert[i] ? expertPart : mainPart).add(batch.get(i));
        }
        Iterator<Prediction> fromMain =
                (mainPart.isEmpty() ? List.<Prediction>of() : main.predict(manager, mainPart, padId())).iterator();
        Iterator<Prediction> fromExpert =
                (expertPart.isEmpty() ? List.<Prediction>of() : expert.predict(manager, expertPart, padId())).iterator();
        List<Prediction> out = new ArrayList<>(batch.size());
        for (boolean e : toExpert) {
            out.add(e ? fromExpert.next() : fromMain.next());
        }
        return out;
    }

    private int padId() {
        return pipeline.tokenizer().vocabulary().padId();
    }

    /** The routing gate of a routed version (which posts its expert classifies), or null. */
    public DomainGate gate() {
        return gate;
    }

    /**
     * Cleans, tokenizes and classifies raw texts as the job does: a text the model has nothing to read from is NEUTRAL
     * by rule ({@link Prediction#emptyText()}), the rest go through the model in one batch.
     */
    public List<Prediction> classify(List<String> texts) {
        List<PreparedText> prepared = texts.stream().map(pipeline::prepare).toList();
        List<Encoding> readable = prepared.stream().filter(p -> !p.isEmpty()).map(PreparedText::encoding).toList();
        Iterator<Prediction> predicted = predict(readable).iterator();
        List<Prediction> out = new ArrayList<>(texts.size());
        for (PreparedText p : prepared) {
            out.add(p.isEmpty() ? Prediction.emptyText() : predicted.next());
        }
        return out;
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
