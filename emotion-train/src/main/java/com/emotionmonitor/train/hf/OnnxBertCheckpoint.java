package com.emotionmonitor.train.hf;

import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.model.EncoderVariant;
import com.emotionmonitor.model.HiddenActivation;
import com.emotionmonitor.text.TokenizerVariant;
import com.emotionmonitor.text.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A BERT exported to ONNX ({@link OnnxModelFile}), read into the same {@link HfBertCheckpoint} the other layouts use.
 * Either with Hugging Face's {@code config.json} beside it (optimum's and Xenova's layout: {@code onnx/model.onnx} or
 * {@code model.onnx}), read as any Hugging Face directory; or without one, as libraries ship the bare export (e.g.
 * langchain4j's {@code bge-small-zh-v1.5.onnx} and {@code bge-small-zh-v1.5-tokenizer.json}): the sizes then come from
 * the tensors, the head count from the caller ({@code --heads}, checked against the attention scale the graph
 * multiplies by), the activation from the graph's ops, the casing from {@code tokenizer_config.json}, else
 * {@code --lower-case}, else the tokenizer.json's normalizer. The vocabulary is vocab.txt, or the tokenizer.json's
 * WordPiece vocabulary.
 */
public final class OnnxBertCheckpoint {

    public static final String TOKENIZER_JSON = "tokenizer.json";
    private static final Pattern LAYER = Pattern.compile("(?:^|\\.)encoder\\.layer\\.(\\d+)\\.");

    private OnnxBertCheckpoint() {}

    /** Whether {@code dir}'s weights are an ONNX export: no safetensors nor pytorch_model.bin, and an .onnx file. */
    public static boolean isOnnx(Path dir) {
        return !Files.isRegularFile(dir.resolve(HfBertCheckpoint.SAFETENSORS))
                && !Files.isRegularFile(dir.resolve(HfBertCheckpoint.PYTORCH_BIN)) && onnxFile(dir) != null;
    }

    /** {@code model.onnx}, {@code onnx/model.onnx}, or the one {@code *.onnx} of the directory; null when none. */
    static Path onnxFile(Path dir) {
        for (Path p : List.of(dir.resolve("model.onnx"), dir.resolve("onnx").resolve("model.onnx"))) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        List<Path> found = listed(dir, ".onnx");
        if (found.size() > 1) {
            throw new IllegalArgumentException(dir + " holds several ONNX files " + found.stream().map(Path::getFileName).toList()
                    + " and no model.onnx: keep the one to import");
        }
        return found.isEmpty() ? null : found.get(0);
    }

    /** {@code tokenizer.json}, or the one {@code *tokenizer.json} of the directory; null when none. */
    static Path tokenizerJson(Path dir) {
        if (Files.isRegularFile(dir.resolve(TOKENIZER_JSON))) {
            return dir.resolve(TOKENIZER_JSON);
        }
        List<Path> found = listed(dir, TOKENIZER_JSON);
        return found.size() == 1 ? found.get(0) : null;
    }

    private static List<Path> listed(Path dir, String suffix) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param labels a classifier's output order (required without config.json, whose id2label would say it)
     * @param lowerCase the casing when neither tokenizer_config.json nor config.json's directory says (may override
     *     tokenizer.json's normalizer)
     * @param heads attention heads when there is no config.json
     */
    public static HfBertCheckpoint read(Path dir, List<String> labels, Boolean lowerCase, Integer heads) throws IOException {
        HfBertCheckpoint ckpt;
        if (Files.isRegularFile(dir.resolve(HfBertCheckpoint.CONFIG))) {
            if (lowerCase != null || heads != null) {
                throw new IllegalArgumentException(dir.resolve(HfBertCheckpoint.CONFIG) + " gives the sizes and "
                        + HfBertCheckpoint.TOKENIZER_CONFIG + " the casing: --heads and --lower-case apply only without "
                        + "config.json");
            }
            ckpt = HfBertCheckpoint.read(dir, labels);
        } else {
            ckpt = withoutConfig(dir, labels, lowerCase, heads);
        }
        try (OnnxModelFile f = OnnxModelFile.open(ckpt.weightsFile())) {
            checkGraph(f, ckpt.architecture());
        }
        return ckpt;
    }

    private static HfBertCheckpoint withoutConfig(Path dir, List<String> labels, Boolean lowerCase, Integer heads)
            throws IOException {
        Path onnx = onnxFile(dir);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        HiddenActivation act;
        try (OnnxModelFile f = OnnxModelFile.open(onnx)) {
            for (String n : f.names()) {
                shapes.put(n, f.shape(n));
            }
            act = activation(f);
        }
        String p = shapes.containsKey("bert.embeddings.word_embeddings.weight") ? "bert." : "";
        long[] words = shapes.get(p + "embeddings.word_embeddings.weight");
        long[] positions = shapes.get(p + "embeddings.position_embeddings.weight");
        long[] segments = shapes.get(p + "embeddings.token_type_embeddings.weight");
        long[] ffn = shapes.get(p + "encoder.layer.0.intermediate.dense.weight");
        if (words == null || positions == null || segments == null || ffn == null) {
            throw new IllegalArgumentException(onnx + " lacks BERT's embedding tables or layer 0 (found " + shapes.size()
                    + " tensors, e.g. " + shapes.keySet().stream().limit(3).toList() + "): not a BERT export");
        }
        if (heads == null) {
            throw new IllegalArgumentException(dir + " has no " + HfBertCheckpoint.CONFIG + ": the sizes can be read from the "
                    + "tensors, the attention head count cannot; give --heads (BERTs have heads of 64: hidden " + words[1]
                    + " / 64)");
        }
        int layers = 0;
        for (String n : shapes.keySet()) {
            Matcher m = LAYER.matcher(n);
            if (m.find()) {
                layers = Math.max(layers, Integer.parseInt(m.group(1)) + 1);
            }
        }
        BertConfig architecture = new BertConfig((int) words[0], (int) words[1], layers, heads, (int) ffn[0],
                (int) positions[0], (int) segments[0], 0.1f, EncoderVariant.BERT_POST_LN, 1e-12f, act);

        List<Path> sources = new ArrayList<>();
        Map<String, Object> settings = new LinkedHashMap<>();
        Path tokenizerJson = tokenizerJson(dir);
        TokenizerVariant tokenizer = casing(dir, tokenizerJson, lowerCase, settings, sources);
        Path vocabFile = Files.isRegularFile(dir.resolve(HfBertCheckpoint.VOCAB)) ? dir.resolve(HfBertCheckpoint.VOCAB)
                : tokenizerJson;
        if (vocabFile == null) {
            throw new IllegalArgumentException(dir + " has neither " + HfBertCheckpoint.VOCAB + " nor a " + TOKENIZER_JSON
                    + ": the export needs its WordPiece vocabulary");
        }
        Vocabulary vocab = vocabulary(vocabFile);
        if (vocab.size() != architecture.vocabSize()) {
            throw new IllegalArgumentException(vocabFile + " has " + vocab.size() + " tokens, the export's word embeddings have "
                    + architecture.vocabSize() + " rows");
        }
        if (!sources.contains(vocabFile)) {
            sources.add(vocabFile);
        }
        sources.add(onnx);
        boolean classifier = shapes.containsKey("classifier.weight");
        List<String> checkpointLabels = List.of();
        if (classifier) {
            if (labels == null) {
                throw new IllegalArgumentException(onnx + " holds a classifier (classifier.weight " + Arrays.toString(
                        shapes.get("classifier.weight")) + ") and no config.json names its labels: give its output order "
                        + "with --labels");
            }
            checkpointLabels = List.copyOf(labels);
            LabelOrder.of(checkpointLabels);
        } else if (labels != null) {
            throw new IllegalArgumentException(onnx + " has no classifier head: it is an encoder, and --labels does not apply");
        }
        return new HfBertCheckpoint(dir, "ONNX export (" + (classifier ? "BertForSequenceClassification" : "BertModel") + ")",
                classifier ? HfBertCheckpoint.Kind.CLASSIFIER : HfBertCheckpoint.Kind.ENCODER, architecture, tokenizer, vocab,
                checkpointLabels, onnx, settings, vocabFile, List.copyOf(sources));
    }

    /** vocab.txt, or a tokenizer.json's WordPiece vocabulary. */
    static Vocabulary vocabulary(Path file) throws IOException {
        return file.getFileName().toString().endsWith(".json") ? TokenizerJson.wordPiece(file) : Vocabulary.load(file);
    }

    private static TokenizerVariant casing(Path dir, Path tokenizerJson, Boolean lowerCase, Map<String, Object> settings,
            List<Path> sources) throws IOException {
        Path config = dir.resolve(HfBertCheckpoint.TOKENIZER_CONFIG);
        if (Files.isRegularFile(config)) {
            if (lowerCase != null) {
                throw new IllegalArgumentException(config + " gives the casing: --lower-case applies only without it");
            }
            sources.add(config);
            return HfBertCheckpoint.tokenizer(config, settings);
        }
        Boolean fromJson = tokenizerJson == null ? null : TokenizerJson.lowercase(tokenizerJson);
        Boolean lower = lowerCase != null ? lowerCase : fromJson;
        if (lower == null) {
            throw new IllegalArgumentException(dir + " does not say whether its vocabulary is cased (no "
                    + HfBertCheckpoint.TOKENIZER_CONFIG + ", no BertNormalizer in a " + TOKENIZER_JSON + "): give --lower-case "
                    + "true (uncased and Chinese BERTs) or false (cased ones)");
        }
        if (tokenizerJson != null) {
            sources.add(tokenizerJson);
        }
        settings.put("casing_from", lowerCase != null ? "--lower-case" : tokenizerJson.getFileName().toString());
        if (lowerCase != null && fromJson != null) {
            settings.put("tokenizer_json_lowercase", fromJson);
        }
        settings.put("do_lower_case", lower);
        return lower ? TokenizerVariant.HF_BERT_BASIC : TokenizerVariant.HF_BERT_BASIC_CASED;
    }

    /** The feed-forward activation the graph computes: Erf (or a fused Gelu) is exact GELU, Tanh (FastGelu) Google's. */
    static HiddenActivation activation(OnnxModelFile f) {
        boolean erf = false;
        boolean tanh = false;
        for (OnnxModelFile.Node n : f.nodes()) {
            if (!n.name().contains("/intermediate")) {
                continue;
            }
            erf |= n.opType().equals("Erf") || n.opType().equals("Gelu");
            tanh |= n.opType().equals("Tanh") || n.opType().equals("FastGelu");
        }
        if (erf == tanh) {
            throw new IllegalArgumentException(f.describe() + ": the feed-forward layers' activation is not recognisable "
                    + "(an Erf for exact GELU or a Tanh for its approximation under /intermediate/" + (erf ? ": both" : "")
                    + "); export the model unfused, as optimum's default does");
        }
        return erf ? HiddenActivation.GELU : HiddenActivation.GELU_TANH;
    }

    /**
     * The graph agrees with the architecture: the activation, and the attention scale of layer 0 (scores are divided
     * by, or multiplied by the inverse of, the square root of the head width) where the graph holds it as a constant.
     */
    static void checkGraph(OnnxModelFile f, BertConfig a) {
        HiddenActivation act = activation(f);
        if (act != a.hiddenAct()) {
            throw new IllegalArgumentException(f.describe() + " computes " + act + " in its feed-forward layers, the "
                    + "configuration says " + a.hiddenAct());
        }
        List<Float> scales = new ArrayList<>();
        for (OnnxModelFile.Node n : f.nodes()) {
            if (n.opType().equals("Constant") && n.floatConstant() != null && n.name().contains("layer.0/attention/self/")) {
                scales.add(n.floatConstant());
            }
        }
        double width = Math.sqrt((double) a.hiddenSize() / a.heads());
        // Divided by sqrt(d), multiplied by 1/sqrt(d), or d^-1/4 applied to both the queries and the keys.
        boolean agrees = scales.isEmpty() || scales.stream().anyMatch(s -> Math.abs(s - width) < 1e-3 * width
                || Math.abs(s * width - 1) < 1e-3 || Math.abs(s * s - width) < 1e-3 * width || Math.abs(s * s * width - 1) < 1e-3);
        if (!agrees) {
            throw new IllegalArgumentException(f.describe() + " scales layer 0's attention by " + scales + ", not by sqrt("
                    + a.hiddenSize() + " / " + a.heads() + " heads) = " + (float) width + ": the head count is wrong");
        }
    }
}
