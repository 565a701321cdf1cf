package com.emotionmonitor.train.hf;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TensorFlow BERT checkpoint's tensors under Hugging Face's names, so {@link HfBertWeights} maps both formats the
 * same way. The renaming is the one Hugging Face's {@code load_tf_weights_in_bert} applies: {@code /} becomes {@code .},
 * {@code layer_N} becomes {@code layer.N}, a table ending in {@code _embeddings} gains {@code .weight}, a dense
 * {@code kernel} becomes {@code weight} and is transposed (TensorFlow stores (in, out), torch (out, in)), and
 * {@code run_classifier.py}'s head ({@code output_weights}, already (labels, hidden), and {@code output_bias}) becomes
 * {@code classifier.*}. A scope every tensor shares ({@code module/} in a TF-Hub SavedModel) is dropped.
 *
 * <p>Optimizer state ({@code adam_m}, {@code adam_v}, {@code global_step}, ...) is training bookkeeping, not model:
 * it is left out of {@link #names()} and listed by {@link #ignored()}.
 */
final class TfBertNames implements TensorSource {

    private static final Pattern LAYER = Pattern.compile("layer_(\\d+)");
    private static final Set<String> OPTIMIZER_PARTS = Set.of("adam_m", "adam_v", "AdamWeightDecayOptimizer",
            "AdamWeightDecayOptimizer_1", "Adam", "Adam_1", "Momentum", "LAMB", "LAMB_1");
    private static final Set<String> OPTIMIZER_NAMES = Set.of("global_step", "beta1_power", "beta2_power",
            "good_steps", "loss_scale");
    private static final Set<String> TOP_LEVEL = Set.of("bert", "cls", "output_weights", "output_bias");

    private final TensorSource bundle;
    /** Hugging Face name -> TensorFlow name. */
    private final Map<String, String> names = new TreeMap<>();
    private final Set<String> transposed = new HashSet<>();
    private final List<String> ignored = new ArrayList<>();

    TfBertNames(TensorSource bundle) {
        this.bundle = bundle;
        List<String> model = new ArrayList<>();
        for (String n : bundle.names()) {
            String[] parts = n.split("/");
            if (OPTIMIZER_NAMES.contains(parts[parts.length - 1]) || Arrays.stream(parts).anyMatch(OPTIMIZER_PARTS::contains)) {
                ignored.add(n);
            } else {
                model.add(n);
            }
        }
        String scope = sharedScope(model);
        for (String n : model) {
            String local = scope == null ? n : n.substring(scope.length() + 1);
            String hf = hfName(local);
            if (names.put(hf, n) != null) {
                throw new IllegalArgumentException(bundle.describe() + ": tensors " + names.get(hf) + " and " + n
                        + " both map to " + hf);
            }
            if (local.endsWith("/kernel")) {
                transposed.add(hf);
            }
        }
    }

    /** The one leading scope all model tensors share when none starts at BERT's own top level ({@code module}), or null. */
    private static String sharedScope(List<String> names) {
        if (names.isEmpty() || names.stream().anyMatch(n -> TOP_LEVEL.contains(n.split("/")[0]))) {
            return null;
        }
        String first = names.get(0).split("/")[0];
        return names.stream().allMatch(n -> n.startsWith(first + "/")) ? first : null;
    }

    static String hfName(String tf) {
        if (tf.equals("output_weights")) {
            return "classifier.weight";
        }
        if (tf.equals("output_bias")) {
            return "classifier.bias";
        }
        List<String> out = new ArrayList<>();
        String[] parts = tf.split("/");
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            Matcher m = LAYER.matcher(p);
            if (m.matches()) {
                out.add("layer");
                out.add(m.group(1));
            } else if (p.equals("kernel") && i == parts.length - 1) {
                out.add("weight");
            } else {
                out.add(p);
            }
        }
        if (parts[parts.length - 1].endsWith("_embeddings")) {
            out.add("weight");
        }
        return String.join(".", out);
    }

    /** The TensorFlow name a Hugging Face name was read from, or the one Google's layout would give it. */
    @Override
    public String originalName(String hfName) {
        String tf = names.get(hfName);
        if (tf != null) {
            return tf;
        }
        if (hfName.equals("classifier.weight") || hfName.equals("classifier.bias")) {
            return hfName.endsWith("weight") ? "output_weights" : "output_bias";
        }
        String path = hfName.replaceAll("\\.weight$", hfName.contains("_embeddings.") ? "" : ".kernel")
                .replaceAll("LayerNorm\\.kernel$", "LayerNorm.gamma").replaceAll("LayerNorm\\.bias$", "LayerNorm.beta")
                .replaceAll("layer\\.(\\d+)", "layer_$1");
        return path.replace('.', '/');
    }

    /** Optimizer slots and counters the checkpoint carries, not imported. */
    @Override
    public List<String> ignored() {
        return List.copyOf(ignored);
    }

    @Override
    public String describe() {
        return bundle.describe();
    }

    @Override
    public Set<String> names() {
        return names.keySet();
    }

    @Override
    public long[] shape(String name) {
        long[] shape = bundle.shape(tf(name));
        if (transposed.contains(name)) {
            requireMatrix(name, shape);
            return new long[] {shape[1], shape[0]};
        }
        return shape;
    }

    @Override
    public float[] floats(String name) throws IOException {
        String tf = tf(name);
        float[] values = bundle.floats(tf);
        if (!transposed.contains(name)) {
            return values;
        }
        long[] shape = bundle.shape(tf);
        requireMatrix(name, shape);
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        float[] out = new float[values.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = values[r * cols + c];
            }
        }
        return out;
    }

    private void requireMatrix(String name, long[] shape) {
        if (shape.length != 2) {
            throw new IllegalArgumentException(describe() + ": dense kernel " + tf(name) + " has shape "
                    + Arrays.toString(shape) + ", not (in, out)");
        }
    }

    private String tf(String name) {
        String tf = names.get(name);
        if (tf == null) {
            throw new IllegalArgumentException(describe() + " has no tensor for " + name);
        }
        return tf;
    }

    @Override
    public void close() throws IOException {
        bundle.close();
    }
}
