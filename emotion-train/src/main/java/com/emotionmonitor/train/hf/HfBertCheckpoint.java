package com.emotionmonitor.train.hf;

import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.model.Emotion;
import com.emotionmonitor.model.EncoderVariant;
import com.emotionmonitor.model.HiddenActivation;
import com.emotionmonitor.text.TokenizerVariant;
import com.emotionmonitor.text.Vocabulary;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A checkpoint directory as Hugging Face's {@code save_pretrained} writes it, read and checked before any weight is:
 * {@code config.json} (a BERT: {@code model_type} "bert", absolute positions, exact GELU, an encoder-only model),
 * {@code vocab.txt}, {@code tokenizer_config.json} (optional: BertTokenizer's defaults), and the weights as
 * {@code model.safetensors} (preferred) or {@code pytorch_model.bin}, or an ONNX export of the model
 * ({@link OnnxBertCheckpoint}; its vocabulary may come from {@code tokenizer.json}). Every refusal says which file and
 * which field.
 *
 * @param kind a classifier served as is, or a bare encoder to fine-tune from
 * @param checkpointLabels the classifier's output order as the checkpoint has it (empty for an encoder)
 * @param weightsFile the weight file this import reads (for a TensorFlow checkpoint: its {@code .index})
 * @param vocabFile the vocab.txt the tokenizer reads
 * @param sourceFiles every file the import reads, for the manifest's sha256s
 *
 * <p>{@link TfBertCheckpoint} reads Google's TensorFlow layouts into the same record.
 */
public record HfBertCheckpoint(Path dir, String architectureName, Kind kind, BertConfig architecture,
        TokenizerVariant tokenizer, Vocabulary vocabulary, List<String> checkpointLabels, Path weightsFile,
        Map<String, Object> tokenizerSettings, Path vocabFile, List<Path> sourceFiles) {

    public static final String CONFIG = "config.json";
    public static final String VOCAB = "vocab.txt";
    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    public static final String SAFETENSORS = "model.safetensors";
    public static final String PYTORCH_BIN = "pytorch_model.bin";

    /** What a checkpoint becomes in the model store. */
    public enum Kind { CLASSIFIER, ENCODER }

    private static final Set<String> CLASSIFIERS = Set.of("BertForSequenceClassification");
    private static final Set<String> ENCODERS = Set.of("BertModel", "BertForMaskedLM", "BertForPreTraining");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param labels the classifier's output order when config.json's {@code id2label} does not name the emotions (null:
     *     take {@code id2label})
     * @throws IllegalArgumentException naming the file and field that make the checkpoint unusable here
     */
    public static HfBertCheckpoint read(Path dir, List<String> labels) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a directory");
        }
        JsonNode config = json(dir.resolve(CONFIG), true);
        String where = dir.resolve(CONFIG).toString();
        String modelType = config.path("model_type").asText("");
        JsonNode archs = config.path("architectures");
        String arch = archs.isArray() && archs.size() == 1 ? archs.get(0).asText() : null;
        if (arch == null) {
            throw new IllegalArgumentException(where + ": 'architectures' must name exactly one model class, found " + archs);
        }
        Kind kind = CLASSIFIERS.contains(arch) ? Kind.CLASSIFIER : ENCODERS.contains(arch) ? Kind.ENCODER : null;
        if (kind == null || !modelType.equals("bert")) {
            throw new IllegalArgumentException(where + ": architecture " + arch + " (model_type '" + modelType + "') is not one "
                    + "this import reads: BertForSequenceClassification (served as is), BertModel, BertForMaskedLM or "
                    + "BertForPreTraining (an encoder to fine-tune), all with model_type 'bert'");
        }
        HiddenActivation act = activation(config.path("hidden_act").asText("gelu"), where);
        requireValue(config, "position_embedding_type", "absolute", where, "learned absolute position embeddings");
        requireFalse(config, "is_decoder", where);
        requireFalse(config, "add_cross_attention", where);
        BertConfig architecture = architecture(config, where, act);

        List<String> checkpointLabels = List.of();
        if (kind == Kind.ENCODER && labels != null) {
            throw new IllegalArgumentException(where + ": " + arch + " is an encoder without a classifier: --labels does not apply");
        }
        if (kind == Kind.CLASSIFIER) {
            String problem = config.path("problem_type").asText("single_label_classification");
            if (!problem.equals("single_label_classification")) {
                throw new IllegalArgumentException(where + ": problem_type '" + problem + "': only single-label (softmax) "
                        + "classifiers serve here");
            }
            checkpointLabels = labels != null ? List.copyOf(labels) : id2label(config, where);
            LabelOrder.of(checkpointLabels); // refuses names that are not the six emotions, before the weights are read
        }

        Map<String, Object> tokenizerSettings = new LinkedHashMap<>();
        TokenizerVariant tokenizer = tokenizer(dir.resolve(TOKENIZER_CONFIG), tokenizerSettings);
        Path vocabFile = dir.resolve(VOCAB);
        if (!Files.isRegularFile(vocabFile)) {
            // ONNX exports (optimum, Xenova) often ship only the tokenizers library's file
            vocabFile = OnnxBertCheckpoint.tokenizerJson(dir);
        }
        if (vocabFile == null) {
            throw new IllegalArgumentException(dir + " has no " + VOCAB + " (a WordPiece vocabulary, one token per line) nor a "
                    + OnnxBertCheckpoint.TOKENIZER_JSON);
        }
        Vocabulary vocab = OnnxBertCheckpoint.vocabulary(vocabFile);
        if (vocab.size() != architecture.vocabSize()) {
            throw new IllegalArgumentException(vocabFile + " has " + vocab.size() + " tokens, " + where + " says vocab_size "
                    + architecture.vocabSize());
        }
        Path weights = weightsFile(dir);
        List<Path> sources = new ArrayList<>();
        for (Path f : List.of(dir.resolve(CONFIG), vocabFile, dir.resolve(TOKENIZER_CONFIG), weights)) {
            if (Files.isRegularFile(f)) {
                sources.add(f);
            }
        }
        return new HfBertCheckpoint(dir, arch, kind, architecture, tokenizer, vocab, checkpointLabels, weights,
                tokenizerSettings, vocabFile, List.copyOf(sources));
    }

    /** Hugging Face's names for the two GELUs: "gelu" is the exact one; "gelu_new" and "gelu_pytorch_tanh" Google's. */
    private static HiddenActivation activation(String act, String where) {
        return switch (act) {
            case "gelu" -> HiddenActivation.GELU;
            case "gelu_new", "gelu_pytorch_tanh" -> HiddenActivation.GELU_TANH;
            default -> throw new IllegalArgumentException(where + ": hidden_act '" + act + "' is not supported (only 'gelu', "
                    + "the exact GELU, and 'gelu_new' / 'gelu_pytorch_tanh', its tanh approximation)");
        };
    }

    /** The sizes in config.json, with Hugging Face's defaults for what it leaves out. */
    private static BertConfig architecture(JsonNode c, String where, HiddenActivation act) {
        try {
            return new BertConfig(required(c, "vocab_size", where), required(c, "hidden_size", where),
                    required(c, "num_hidden_layers", where), required(c, "num_attention_heads", where),
                    required(c, "intermediate_size", where), c.path("max_position_embeddings").asInt(512),
                    c.path("type_vocab_size").asInt(2), (float) c.path("hidden_dropout_prob").asDouble(0.1),
                    EncoderVariant.BERT_POST_LN, (float) c.path("layer_norm_eps").asDouble(1e-12), act);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    /** A positive integer field of a config JSON; the error names the file and the field. */
    static int required(JsonNode c, String field, String where) {
        JsonNode n = c.get(field);
        if (n == null || !n.canConvertToInt() || n.asInt() <= 0) {
            throw new IllegalArgumentException(where + " has no positive integer '" + field + "'");
        }
        return n.asInt();
    }

    private static void requireValue(JsonNode c, String field, String expected, String where, String why) {
        JsonNode n = c.get(field);
        if (n != null && !n.isNull() && !n.asText().equals(expected)) {
            throw new IllegalArgumentException(where + ": " + field + " '" + n.asText() + "' is not supported (only '"
                    + expected + "': " + why + ")");
        }
    }

    private static void requireFalse(JsonNode c, String field, String where) {
        if (c.path(field).asBoolean(false)) {
            throw new IllegalArgumentException(where + ": " + field + " is true: only BERT encoders are imported");
        }
    }

    /** {@code id2label} in index order; the default LABEL_0.. names say nothing, so they need --labels. */
    private static List<String> id2label(JsonNode config, String where) {
        JsonNode map = config.path("id2label");
        if (!map.isObject() || map.isEmpty()) {
            throw new IllegalArgumentException(where + " has no id2label: give the output order with --labels");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < map.size(); i++) {
            JsonNode label = map.get(String.valueOf(i));
            if (label == null) {
                throw new IllegalArgumentException(where + ": id2label has no entry " + i + " (" + map + ")");
            }
            out.add(label.asText());
        }
        if (out.stream().allMatch(l -> l.matches("LABEL_\\d+"))) {
            throw new IllegalArgumentException(where + ": id2label is the default " + out + ", which names no emotion: give "
                    + "the output order with --labels (e.g. --labels angry,fear,happy,neutral,sad,surprise)");
        }
        return out;
    }

    /**
     * tokenizer_config.json's settings (BertTokenizer's defaults when the file is absent): lower-casing with accent
     * stripping, or neither; Chinese characters split; the standard special tokens.
     */
    static TokenizerVariant tokenizer(Path file, Map<String, Object> settings) throws IOException {
        JsonNode t = json(file, false);
        String cls = t.path("tokenizer_class").asText("BertTokenizer");
        if (!cls.equals("BertTokenizer") && !cls.equals("BertTokenizerFast")) {
            throw new IllegalArgumentException(file + ": tokenizer_class " + cls + " is not BERT's WordPiece tokenizer");
        }
        boolean lower = t.path("do_lower_case").asBoolean(true);
        JsonNode strip = t.path("strip_accents");
        Boolean stripAccents = strip.isBoolean() ? strip.asBoolean() : null;
        if (!t.path("tokenize_chinese_chars").asBoolean(true)) {
            throw new IllegalArgumentException(file + ": tokenize_chinese_chars is false; Chinese posts need it true");
        }
        for (Map.Entry<String, String> special : Map.of("unk_token", Vocabulary.UNK, "cls_token", Vocabulary.CLS, "sep_token",
                Vocabulary.SEP, "pad_token", Vocabulary.PAD, "mask_token", Vocabulary.MASK).entrySet()) {
            JsonNode n = t.path(special.getKey());
            String value = n.isTextual() ? n.asText() : n.path("content").asText(special.getValue());
            if (!value.equals(special.getValue())) {
                throw new IllegalArgumentException(file + ": " + special.getKey() + " '" + value + "' is not BERT's "
                        + special.getValue());
            }
        }
        settings.put("tokenizer_config", Files.isRegularFile(file) ? file.getFileName().toString() : "absent: BertTokenizer defaults");
        settings.put("do_lower_case", lower);
        settings.put("strip_accents", stripAccents);
        if (lower && (stripAccents == null || stripAccents)) {
            return TokenizerVariant.HF_BERT_BASIC;
        }
        if (!lower && (stripAccents == null || !stripAccents)) {
            return TokenizerVariant.HF_BERT_BASIC_CASED;
        }
        throw new IllegalArgumentException(file + ": do_lower_case " + lower + " with strip_accents " + stripAccents
                + " is a combination this build does not tokenize (lower-case with accent stripping, or neither)");
    }

    private static Path weightsFile(Path dir) {
        Path safetensors = dir.resolve(SAFETENSORS);
        Path bin = dir.resolve(PYTORCH_BIN);
        if (Files.isRegularFile(safetensors)) {
            return safetensors;
        }
        if (Files.isRegularFile(bin)) {
            return bin;
        }
        Path onnx = OnnxBertCheckpoint.onnxFile(dir);
        if (onnx != null) {
            return onnx;
        }
        if (Files.exists(dir.resolve(SAFETENSORS + ".index.json")) || Files.exists(dir.resolve(PYTORCH_BIN + ".index.json"))) {
            throw new IllegalArgumentException(dir + " holds a sharded checkpoint (*.index.json): save it unsharded "
                    + "(save_pretrained(..., max_shard_size=\"2GB\") fits any BERT-base)");
        }
        throw new IllegalArgumentException(dir + " has no weights: neither " + SAFETENSORS + " nor " + PYTORCH_BIN
                + " nor an ONNX export (model.onnx, onnx/model.onnx)");
    }

    /**
     * Opens the weights under Hugging Face's names: safetensors directly, pytorch_model.bin through the unpickler, a
     * TensorFlow checkpoint's bundle renamed by {@link TfBertNames}, an ONNX graph's initializers by {@link OnnxModelFile}.
     */
    public TensorSource openWeights() throws IOException {
        String file = weightsFile.getFileName().toString();
        if (file.endsWith(".index")) {
            return new TfBertNames(TensorBundleFile.open(weightsFile.resolveSibling(file.substring(0, file.length() - 6))));
        }
        if (file.endsWith(".onnx")) {
            return OnnxModelFile.open(weightsFile);
        }
        return file.equals(SAFETENSORS) ? SafetensorsFile.open(weightsFile) : TorchCheckpointFile.open(weightsFile);
    }

    /** This encoder with only its lower {@code n} layers (the upper ones are dropped at import). */
    public HfBertCheckpoint withLayers(int n) {
        return new HfBertCheckpoint(dir, architectureName, kind, architecture.withLayers(n), tokenizer, vocabulary,
                checkpointLabels, weightsFile, tokenizerSettings, vocabFile, sourceFiles);
    }

    /** This checkpoint with its vocabulary pruned (the embedding rows follow, see {@link VocabularyPruning}). */
    public HfBertCheckpoint withVocabulary(Vocabulary pruned) {
        return new HfBertCheckpoint(dir, architectureName, kind, architecture.withVocabSize(pruned.size()), tokenizer, pruned,
                checkpointLabels, weightsFile, tokenizerSettings, vocabFile, sourceFiles);
    }

    /** This checkpoint reading the other weight format when the directory has both (the parity test reads each). */
    public HfBertCheckpoint withWeights(Path file) {
        return new HfBertCheckpoint(dir, architectureName, kind, architecture, tokenizer, vocabulary, checkpointLabels, file,
                tokenizerSettings, vocabFile, sourceFiles);
    }

    static JsonNode json(Path file, boolean required) throws IOException {
        if (!Files.isRegularFile(file)) {
            if (required) {
                throw new IllegalArgumentException(file.getParent() + " has no " + file.getFileName()
                        + ": not a checkpoint directory as save_pretrained writes it");
            }
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** The six emotions' names as checkpoints spell them, English or SMP2020-EWECT's Chinese. */
    static final Map<String, Emotion> LABEL_NAMES = Map.ofEntries(Map.entry("happy", Emotion.HAPPY),
            Map.entry("angry", Emotion.ANGRY), Map.entry("sad", Emotion.SAD), Map.entry("fear", Emotion.FEAR),
            Map.entry("surprise", Emotion.SURPRISE), Map.entry("neutral", Emotion.NEUTRAL), Map.entry("积极", Emotion.HAPPY),
            Map.entry("愤怒", Emotion.ANGRY), Map.entry("悲伤", Emotion.SAD), Map.entry("恐惧", Emotion.FEAR),
            Map.entry("惊奇", Emotion.SURPRISE), Map.entry("无情绪", Emotion.NEUTRAL));

    static Emotion emotionOf(String label) {
        return LABEL_NAMES.get(label.trim().toLowerCase(Locale.ROOT));
    }
}
