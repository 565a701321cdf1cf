package com.emotionmonitor.train.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hugging Face BERT tensor names onto our post-LN blocks' parameters: {@code bert.embeddings.*} (word, position,
 * token-type tables and LayerNorm), per layer {@code attention.self.{query,key,value}} (stacked into our fused
 * projection, rows {@code [query; key; value]}), {@code attention.output.dense} and {@code .LayerNorm},
 * {@code intermediate.dense}, {@code output.dense} and {@code .LayerNorm}; {@code bert.pooler.dense}; and
 * {@code classifier} (rows reordered to our label order). Linear weights are (out, in) in both, so nothing is
 * transposed. LayerNorm parameters are also accepted under TensorFlow's names ({@code gamma}, {@code beta}), as
 * Hugging Face's loader renames them.
 *
 * <p>Every name and shape is checked before a value is read: a missing tensor, a shape that config.json does not
 * imply, and an unexpected tensor are refused by name. Tensors that are known but unused are listed, not refused:
 * the {@code position_ids} buffer older checkpoints carry, and for an encoder its pretraining heads
 * ({@code cls.predictions.*}, {@code cls.seq_relationship.*}).
 */
final class HfBertWeights {

    /** Layer-relative parameter paths of {@link com.emotionmonitor.model.nn.PostLnEncoderLayer}, to HF suffixes. */
    private static final Map<String, String> LAYER = Map.ofEntries(
            Map.entry("attentionOut.weight", "attention.output.dense.weight"),
            Map.entry("attentionOut.bias", "attention.output.dense.bias"),
            Map.entry("attentionNorm.gamma", "attention.output.LayerNorm.weight"),
            Map.entry("attentionNorm.beta", "attention.output.LayerNorm.bias"),
            Map.entry("ffnIn.weight", "intermediate.dense.weight"),
            Map.entry("ffnIn.bias", "intermediate.dense.bias"),
            Map.entry("ffnOut.weight", "output.dense.weight"),
            Map.entry("ffnOut.bias", "output.dense.bias"),
            Map.entry("ffnNorm.gamma", "output.LayerNorm.weight"),
            Map.entry("ffnNorm.beta", "output.LayerNorm.bias"));
    private static final Map<String, String> EMBEDDINGS = Map.of(
            "token", "embeddings.word_embeddings.weight",
            "position", "embeddings.position_embeddings.weight",
            "segment", "embeddings.token_type_embeddings.weight",
            "norm.gamma", "embeddings.LayerNorm.weight",
            "norm.beta", "embeddings.LayerNorm.bias");
    private static final Pattern LAYER_PATH = Pattern.compile("layer(\\d+)\\.(.+)");
    private static final Pattern FILE_LAYER = Pattern.compile("(?:bert\\.)?encoder\\.layer\\.(\\d+)\\.");
    private static final Pattern CHILD_INDEX = Pattern.compile("(^|_)\\d{2}");

    /** What an import took from the file and what it left. */
    record Report(List<String> used, List<String> dropped) {}

    /** One of our parameters and the checkpoint tensors it is made of (several: stacked along the first axis). */
    private record Target(Parameter parameter, String path, List<String> sources, LabelOrder rows) {}

    private final TensorSource source;
    /** Canonical name (LayerNorm weight/bias) -> the name in the file. */
    private final Map<String, String> names = new HashMap<>();
    private final String prefix;

    HfBertWeights(TensorSource source) {
        this.source = source;
        for (String n : source.names()) {
            String canonical = n.replaceAll("LayerNorm\\.gamma$", "LayerNorm.weight").replaceAll("LayerNorm\\.beta$", "LayerNorm.bias");
            if (names.put(canonical, n) != null) {
                throw new IllegalArgumentException(source.describe() + " has both " + n + " and " + canonical);
            }
        }
        if (names.containsKey("bert." + EMBEDDINGS.get("token"))) {
            prefix = "bert.";
        } else if (names.containsKey(EMBEDDINGS.get("token"))) {
            prefix = "";
        } else {
            throw new IllegalArgumentException(source.describe() + " has no tensor bert." + EMBEDDINGS.get("token")
                    + " (nor " + EMBEDDINGS.get("token") + "): not a BERT checkpoint");
        }
    }

    /** Whether the file has a pooler ({@code BertForMaskedLM} checkpoints usually do not). */
    boolean hasPooler() {
        return names.containsKey(prefix + "pooler.dense.weight");
    }

    /**
     * Loads a whole classifier: {@code block} is an initialised {@code EmotionClassifierBlock} of the checkpoint's
     * architecture; its rows come out in our label order.
     */
    Report loadClassifier(Block block, LabelOrder labels) throws IOException {
        List<Target> targets = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            String path = path(p.getKey());
            if (path.startsWith("encoder.")) {
                targets.add(encoderTarget(p.getValue(), path.substring("encoder.".length())));
            } else if (path.startsWith("pooler.")) {
                targets.add(new Target(p.getValue(), path, List.of(prefix + "pooler.dense." + path.substring(7)), null));
            } else if (path.startsWith("output.")) {
                targets.add(new Target(p.getValue(), path, List.of("classifier." + path.substring(7)), labels));
            } else {
                throw new IllegalStateException("no Hugging Face tensor for our parameter " + path);
            }
        }
        return load(targets, Set.of());
    }

    /**
     * Loads an encoder, and its pooler when the file has one ({@code pooler} may be null otherwise). {@code layers}: the
     * encoder's depth, which may be less than the file's; the layers above it are listed as dropped (the lower layers of
     * a deep BERT as a cheaper encoder).
     */
    Report loadEncoder(Block encoder, Block pooler, int layers) throws IOException {
        List<Target> targets = new ArrayList<>();
        for (Pair<String, Parameter> p : encoder.getParameters()) {
            targets.add(encoderTarget(p.getValue(), path(p.getKey())));
        }
        if (pooler != null) {
            for (Pair<String, Parameter> p : pooler.getParameters()) {
                targets.add(new Target(p.getValue(), "pooler." + path(p.getKey()), List.of(prefix + "pooler.dense." + path(p.getKey())),
                        null));
            }
        }
        Set<String> heads = new TreeSet<>();
        for (String n : names.keySet()) {
            Matcher layer = FILE_LAYER.matcher(n);
            if (n.startsWith("cls.predictions.") || n.startsWith("cls.seq_relationship.")
                    || (pooler == null && n.startsWith(prefix + "pooler."))
                    || (layer.lookingAt() && Integer.parseInt(layer.group(1)) >= layers && n.startsWith(prefix))) {
                heads.add(n);
            }
        }
        return load(targets, heads);
    }

    private Target encoderTarget(Parameter parameter, String path) {
        String embedding = path.startsWith("embeddings.") ? EMBEDDINGS.get(path.substring("embeddings.".length())) : null;
        if (embedding != null) {
            return new Target(parameter, path, List.of(prefix + embedding), null);
        }
        Matcher m = LAYER_PATH.matcher(path);
        if (m.matches()) {
            String layer = prefix + "encoder.layer." + m.group(1) + ".";
            String rest = m.group(2);
            if (rest.startsWith("qkv.")) {
                String kind = rest.substring(4);
                return new Target(parameter, path, List.of(layer + "attention.self.query." + kind,
                        layer + "attention.self.key." + kind, layer + "attention.self.value." + kind), null);
            }
            String suffix = LAYER.get(rest);
            if (suffix != null) {
                return new Target(parameter, path, List.of(layer + suffix), null);
            }
        }
        throw new IllegalStateException("no Hugging Face tensor for our parameter " + path + " (a pre-LN block?)");
    }

    /** Checks every target's sources and shapes and the leftovers, then reads and sets the values. */
    private Report load(List<Target> targets, Set<String> droppable) throws IOException {
        Set<String> used = new TreeSet<>();
        for (Target t : targets) {
            long[] ours = t.parameter().getArray().getShape().getShape();
            long[] each = ours.clone();
            each[0] /= t.sources().size();
            for (String s : t.sources()) {
                String actual = names.get(s);
                if (actual == null) {
                    throw new IllegalArgumentException(source.describe() + " lacks tensor " + source.originalName(s));
                }
                long[] shape = source.shape(actual);
                if (!Arrays.equals(shape, each)) {
                    throw new IllegalArgumentException(source.describe() + ": tensor " + source.originalName(actual) + " has shape "
                            + Arrays.toString(shape) + ", the architecture implies " + Arrays.toString(each)
                            + " (as config.json gives it, or an export without one its first layer's tensors)");
                }
                used.add(s);
            }
        }
        List<String> dropped = new ArrayList<>();
        for (String n : new TreeSet<>(names.keySet())) {
            if (used.contains(n)) {
                continue;
            }
            if (n.equals(prefix + "embeddings.position_ids") || droppable.contains(n)) {
                dropped.add(source.originalName(names.get(n)));
            } else {
                throw new IllegalArgumentException(source.describe() + " has unexpected tensor " + source.originalName(names.get(n))
                        + ": it belongs to no part of a BERT this import knows, so the checkpoint is not what config.json says");
            }
        }
        for (Target t : targets) {
            NDArray array = t.parameter().getArray();
            float[] values = new float[Math.toIntExact(array.size())];
            int at = 0;
            for (String s : t.sources()) {
                float[] part = source.floats(names.get(s));
                System.arraycopy(part, 0, values, at, part.length);
                at += part.length;
            }
            array.set(t.rows() == null ? values : t.rows().reorderRows(values));
        }
        return new Report(used.stream().map(names::get).map(source::originalName).toList(), dropped);
    }

    /** DJL's parameter key ({@code 01encoder_03layer1_01qkv_weight}) as a dotted path ({@code encoder.layer1.qkv.weight}). */
    static String path(String djlKey) {
        return CHILD_INDEX.matcher(djlKey).replaceAll("$1").replace('_', '.');
    }
}
