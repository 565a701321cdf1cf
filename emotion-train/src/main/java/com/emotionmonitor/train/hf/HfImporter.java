package com.emotionmonitor.train.hf;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.emotionmonitor.model.Emotion;
import com.emotionmonitor.model.ModelShapes;
import com.emotionmonitor.model.ngram.WeightFormat;
import com.emotionmonitor.model.nn.BlockWeights;
import com.emotionmonitor.model.nn.EmotionClassifierBlock;
import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.store.ModelManifest;
import com.emotionmonitor.text.Preprocessing;
import com.emotionmonitor.train.CheckpointDirectory;
import com.emotionmonitor.train.PretrainedEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@code model import-hf}: a Hugging Face BERT checkpoint as a normal model-store version. A
 * {@code BertForSequenceClassification} becomes a classifier ({@code model.params}, labels in our order); a bare
 * encoder ({@code BertModel}, {@code BertForMaskedLM}, {@code BertForPreTraining}) a {@code pretrained-encoder}
 * ({@code encoder.params}, {@code pooler.params} when the file has a pooler) that {@code train finetune --pretrained}
 * starts from. The weights are converted once into our format for the post-LN blocks, so serving, hot-swap and
 * fine-tuning read them like any other version; the manifest names the architecture (post-LN, sizes from config.json),
 * the tokenizer variant, the max length, and the source files with their sha256.
 */
public final class HfImporter {

    /**
     * @param labels the classifier's output order, when config.json's id2label does not name the emotions (null: id2label)
     * @param maxLength the token cap including [CLS]/[SEP] (0: 142, or the model's positions if fewer)
     * @param command the command line, recorded in the manifest
     * @param lowerCase a TensorFlow checkpoint's casing when its directory does not say (null otherwise)
     * @param heads a TensorFlow SavedModel's attention heads when it has no bert_config.json (null otherwise)
     * @param pruneTo JSONL post files: keep only the vocabulary they use (empty: keep all, see {@link VocabularyPruning})
     * @param keepLayers an encoder's lower layers to keep (0: all)
     */
    public record Request(Path checkpoint, String name, String version, List<String> labels, String preprocessingVersion,
            int maxLength, WeightFormat weights, String command, Boolean lowerCase, Integer heads, List<Path> pruneTo,
            int keepLayers) {

        public Request {
            Objects.requireNonNull(checkpoint, "checkpoint");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(version, "version");
            preprocessingVersion = preprocessingVersion == null ? Preprocessing.VERSION : preprocessingVersion;
            weights = weights == null ? WeightFormat.F32 : weights;
            pruneTo = pruneTo == null ? List.of() : List.copyOf(pruneTo);
            if (keepLayers < 0) {
                throw new IllegalArgumentException("--keep-layers must be 0 (all) or positive: " + keepLayers);
            }
        }

        /** A Hugging Face checkpoint, or a TensorFlow one whose directory says everything, with its whole vocabulary. */
        public Request(Path checkpoint, String name, String version, List<String> labels, String preprocessingVersion,
                int maxLength, WeightFormat weights, String command) {
            this(checkpoint, name, version, labels, preprocessingVersion, maxLength, weights, command, null, null, List.of(), 0);
        }
    }

    /**
     * @param dropped tensors of the file that are known but unused (position_ids, pretraining heads, optimizer state)
     * @param pruning the vocabulary cut, or null when the whole vocabulary was kept
     */
    public record Result(Path staged, ModelManifest manifest, HfBertCheckpoint checkpoint, List<String> dropped,
            VocabularyPruning pruning) {}

    /**
     * The checkpoint in whichever layout {@code dir} has: Hugging Face's, an ONNX export, or one of Google's TensorFlow
     * layouts.
     */
    public static HfBertCheckpoint read(Path dir, List<String> labels, Boolean lowerCase, Integer heads) throws IOException {
        if (Files.isDirectory(dir) && OnnxBertCheckpoint.isOnnx(dir)) {
            return OnnxBertCheckpoint.read(dir, labels, lowerCase, heads);
        }
        if (TfBertCheckpoint.isTensorFlow(dir)) {
            return TfBertCheckpoint.read(dir, labels, lowerCase, heads);
        }
        if (lowerCase != null || heads != null) {
            throw new IllegalArgumentException(dir + " is a Hugging Face checkpoint (config.json, tokenizer_config.json): "
                    + "--lower-case and --heads apply to TensorFlow checkpoints and ONNX exports without config.json only");
        }
        return HfBertCheckpoint.read(dir, labels);
    }

    private HfImporter() {}

    /**
     * Reads, checks and converts the checkpoint into {@code storeRoot/name/version} (published with checksums and
     * verified). Callers that must prove it serves first stage into a scratch store, then publish that copy.
     */
    public static Result importTo(Request r, Path storeRoot) throws IOException {
        Preprocessing.optionsFor(r.preprocessingVersion()); // an unknown cleaning is refused before any work
        HfBertCheckpoint ckpt = read(r.checkpoint(), r.labels(), r.lowerCase(), r.heads());
        int maxLength = r.maxLength() > 0 ? r.maxLength() : Math.min(Preprocessing.MAX_CHARS + 2, ckpt.architecture().maxPositions());
        if (maxLength < 3 || maxLength > ckpt.architecture().maxPositions()) {
            throw new IllegalArgumentException("max length " + maxLength + " does not fit the model's "
                    + ckpt.architecture().maxPositions() + " positions");
        }
        if (r.keepLayers() > 0) {
            if (ckpt.kind() == HfBertCheckpoint.Kind.CLASSIFIER) {
                throw new IllegalArgumentException(r.checkpoint() + " is a fine-tuned classifier, whose head reads its top "
                        + "layer: --keep-layers applies to encoders only");
            }
            if (r.keepLayers() > ckpt.architecture().layers()) {
                throw new IllegalArgumentException("--keep-layers " + r.keepLayers() + ": the checkpoint has "
                        + ckpt.architecture().layers() + " layers");
            }
            ckpt = ckpt.withLayers(r.keepLayers());
        }
        VocabularyPruning pruning = null;
        if (!r.pruneTo().isEmpty()) {
            pruning = VocabularyPruning.fromCorpus(ckpt, r.preprocessingVersion(), r.pruneTo());
            ckpt = ckpt.withVocabulary(pruning.vocabulary());
        }
        Path staging = Files.createTempDirectory("import-hf-");
        try {
            HfBertWeights.Report report;
            List<String> dropped;
            try (TensorSource file = ckpt.openWeights(); NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
                TensorSource weights = pruning == null ? file : pruning.apply(file);
                report = ckpt.kind() == HfBertCheckpoint.Kind.CLASSIFIER
                        ? convertClassifier(ckpt, weights, manager, staging, r.weights())
                        : convertEncoder(ckpt, weights, manager, staging, r.weights());
                dropped = new ArrayList<>(report.dropped());
                dropped.addAll(weights.ignored());
            }
            if (pruning == null && !ckpt.vocabFile().getFileName().toString().endsWith(".json")) {
                Files.copy(ckpt.vocabFile(), staging.resolve(EmotionModel.VOCAB)); // byte for byte, duplicates and all
            } else {
                ckpt.vocabulary().save(staging.resolve(EmotionModel.VOCAB));
            }
            ModelManifest manifest = new ModelManifest(r.name(), r.version(),
                    ckpt.kind() == HfBertCheckpoint.Kind.CLASSIFIER ? ModelManifest.CLASSIFIER : ModelManifest.PRETRAINED_ENCODER,
                    Instant.now().toString(), ckpt.architecture(),
                    ckpt.kind() == HfBertCheckpoint.Kind.CLASSIFIER ? Arrays.stream(Emotion.values()).map(Emotion::label).toList()
                            : List.of(),
                    maxLength, r.preprocessingVersion(), null, provenance(r, ckpt, report, dropped, pruning), Map.of(), null, null,
                    null, null, ckpt.tokenizer());
            Path published = ArtifactFiles.publish(staging, storeRoot, manifest);
            return new Result(published, ArtifactFiles.verify(published), ckpt, List.copyOf(dropped), pruning);
        } finally {
            CheckpointDirectory.deleteTree(staging);
        }
    }

    private static HfBertWeights.Report convertClassifier(HfBertCheckpoint ckpt, TensorSource weights, NDManager manager,
            Path staging, WeightFormat format) throws IOException {
        EmotionClassifierBlock block = new EmotionClassifierBlock(ckpt.architecture());
        block.initialize(manager, DataType.FLOAT32, ModelShapes.classifierInputs());
        HfBertWeights.Report report = new HfBertWeights(weights).loadClassifier(block, LabelOrder.of(ckpt.checkpointLabels()));
        BlockWeights.write(block, staging.resolve(EmotionModel.WEIGHTS), format);
        return report;
    }

    private static HfBertWeights.Report convertEncoder(HfBertCheckpoint ckpt, TensorSource weights, NDManager manager,
            Path staging, WeightFormat format) throws IOException {
        EmotionClassifierBlock block = new EmotionClassifierBlock(ckpt.architecture());
        block.initialize(manager, DataType.FLOAT32, ModelShapes.classifierInputs());
        HfBertWeights mapping = new HfBertWeights(weights);
        boolean pooler = mapping.hasPooler();
        HfBertWeights.Report report = mapping.loadEncoder(block.encoder(), pooler ? block.pooler() : null,
                ckpt.architecture().layers());
        BlockWeights.write(block.encoder(), staging.resolve(PretrainedEncoder.ENCODER), format);
        if (pooler) {
            BlockWeights.write(block.pooler(), staging.resolve(PretrainedEncoder.POOLER), format);
        }
        return report;
    }

    /** What the manifest says about where the version came from. */
    private static Map<String, Object> provenance(Request r, HfBertCheckpoint ckpt, HfBertWeights.Report report,
            List<String> dropped, VocabularyPruning pruning) throws IOException {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("command", r.command());
        t.put("imported_from", ckpt.dir().toAbsolutePath().normalize().toString());
        t.put("source_architecture", ckpt.architectureName());
        Map<String, String> files = new TreeMap<>();
        for (Path f : ckpt.sourceFiles()) {
            files.put(ckpt.dir().relativize(f).toString(), ArtifactFiles.sha256(f));
        }
        t.put("source_files", files);
        t.put("weights_read", ckpt.dir().relativize(ckpt.weightsFile()).toString());
        t.put("weights_format", r.weights().name().toLowerCase(Locale.ROOT));
        if (!ckpt.checkpointLabels().isEmpty()) {
            t.put("checkpoint_label_order", ckpt.checkpointLabels());
        }
        t.put("tokenizer_settings", ckpt.tokenizerSettings());
        if (r.keepLayers() > 0) {
            t.put("layers_kept", "the lower " + r.keepLayers() + " of the checkpoint's layers");
        }
        t.put("tensors_used", report.used().size());
        t.put("tensors_not_imported", dropped);
        if (pruning != null) {
            Map<String, Object> p = new LinkedHashMap<>();
            Map<String, String> corpus = new TreeMap<>();
            for (Path f : r.pruneTo()) {
                corpus.put(f.getFileName().toString(), ArtifactFiles.sha256(f));
            }
            p.put("corpus", corpus);
            p.put("posts", pruning.posts());
            p.put("original_tokens", pruning.originalSize());
            p.put("kept_tokens", pruning.keptIds().length);
            p.put("rule", "the special tokens and every token the checkpoint's tokenizer gives the corpus posts (after the "
                    + "import's cleaning, whole posts), in their original order");
            t.put("vocabulary_pruned", p);
        }
        return t;
    }
}
