package com.emotionmonitor.train.hf;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Test helper: writes a BERT's tensors as an ONNX graph laid out the way {@code torch.onnx.export} lays out a Hugging
 * Face model: biases, LayerNorms and embeddings under their own names, every linear layer's weight transposed under
 * an anonymous {@code onnx::MatMul_N} name and used by a {@code MatMul} node named by its module's scope. Only the
 * nodes the importer reads are written (the graph is not runnable).
 */
final class OnnxWriter {

    /** A graph node: op type, scope name, inputs, an int attribute or a float Constant value (null for none). */
    record Node(String opType, String name, List<String> inputs, String intAttribute, long intValue, Float constant) {
        static Node of(String opType, String name, String... inputs) {
            return new Node(opType, name, List.of(inputs), null, 0, null);
        }
    }

    /** How the linear layers are written: MatMul of the transposed weight (the exporter's way) or Gemm with transB. */
    enum Linear { MATMUL, GEMM_TRANS_B }

    private final List<byte[]> initializers = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private int anonymous = 500;

    /** The tensors of {@code source}: 2-D {@code *.weight}s outside the embeddings as linear layers, the rest named. */
    static OnnxWriter of(Map<String, SafetensorsWriter.Tensor> tensors, Linear linear) {
        OnnxWriter w = new OnnxWriter();
        for (Map.Entry<String, SafetensorsWriter.Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            SafetensorsWriter.Tensor t = e.getValue();
            if (t.shape().length == 2 && name.endsWith(".weight") && !name.contains("embeddings")) {
                w.linear(name, t, linear);
            } else {
                w.initializer(name, t.shape(), t.values());
            }
        }
        return w;
    }

    void linear(String name, SafetensorsWriter.Tensor t, Linear linear) {
        String scope = "/" + name.substring(0, name.length() - ".weight".length()).replace('.', '/');
        String init = "onnx::" + (linear == Linear.MATMUL ? "MatMul_" : "Gemm_") + anonymous++;
        if (linear == Linear.MATMUL) {
            int out = (int) t.shape()[0];
            int in = (int) t.shape()[1];
            float[] transposed = new float[t.values().length];
            for (int r = 0; r < out; r++) {
                for (int c = 0; c < in; c++) {
                    transposed[c * out + r] = t.values()[r * in + c];
                }
            }
            initializer(init, new long[] {in, out}, transposed);
            nodes.add(Node.of("MatMul", scope + "/MatMul", scope + "/input", init));
        } else {
            initializer(init, t.shape(), t.values());
            nodes.add(new Node("Gemm", scope + "/Gemm", List.of(scope + "/input", init), "transB", 1, null));
        }
    }

    void initializer(String name, long[] dims, float[] values) {
        initializers.add(tensor(name, dims, values));
    }

    OnnxWriter node(Node n) {
        nodes.add(n);
        return this;
    }

    private static byte[] tensor(String name, long[] dims, float[] values) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream o = CodedOutputStream.newInstance(bytes);
            for (long d : dims) {
                o.writeInt64(1, d);
            }
            o.writeInt32(2, 1); // FLOAT
            if (name != null) {
                o.writeString(8, name);
            }
            ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            raw.asFloatBuffer().put(values);
            o.writeBytes(9, ByteString.copyFrom(raw.array()));
            o.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    void write(Path file) throws IOException {
        ByteArrayOutputStream graph = new ByteArrayOutputStream();
        CodedOutputStream g = CodedOutputStream.newInstance(graph);
        for (Node n : nodes) {
            ByteArrayOutputStream node = new ByteArrayOutputStream();
            CodedOutputStream o = CodedOutputStream.newInstance(node);
            for (String in : n.inputs()) {
                o.writeString(1, in);
            }
            o.writeString(2, n.name() + "_output_0");
            o.writeString(3, n.name());
            o.writeString(4, n.opType());
            if (n.intAttribute() != null || n.constant() != null) {
                ByteArrayOutputStream attr = new ByteArrayOutputStream();
                CodedOutputStream a = CodedOutputStream.newInstance(attr);
                if (n.intAttribute() != null) {
                    a.writeString(1, n.intAttribute());
                    a.writeInt64(3, n.intValue());
                } else {
                    a.writeString(1, "value");
                    a.writeByteArray(5, tensor(null, new long[0], new float[] {n.constant()}));
                }
                a.flush();
                o.writeByteArray(5, attr.toByteArray());
            }
            o.flush();
            g.writeByteArray(1, node.toByteArray());
        }
        g.writeString(2, "main_graph");
        for (byte[] t : initializers) {
            g.writeByteArray(5, t);
        }
        g.flush();
        ByteArrayOutputStream model = new ByteArrayOutputStream();
        CodedOutputStream m = CodedOutputStream.newInstance(model);
        m.writeInt64(1, 8); // ir_version
        m.writeByteArray(7, graph.toByteArray());
        m.flush();
        Files.write(file, model.toByteArray());
    }
}
