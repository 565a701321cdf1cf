package com.emotionmonitor.train.hf;

import com.emotionmonitor.model.ngram.WeightFormat;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Hugging Face BERT exported to ONNX (as {@code optimum-cli export onnx} or {@code torch.onnx.export} write it, e.g.
 * Xenova's exports and the models langchain4j ships), read under Hugging Face's tensor names.
 *
 * <p>The exporter keeps the names of biases, LayerNorms and embedding tables, but folds every {@code nn.Linear} into a
 * {@code MatMul} whose right operand is the weight transposed ({@code [in, out]}) under an anonymous name
 * ({@code onnx::MatMul_541}). The node itself is named by its module's scope ({@code
 * /encoder/layer.0/attention/self/query/MatMul}), which is where the Hugging Face name comes from: {@code
 * encoder.layer.0.attention.self.query.weight}, transposed back to {@code [out, in]}. A {@code Gemm} is read the same
 * way, honouring its {@code transB}. Initializers that are neither named parameters nor a MatMul/Gemm weight (shape
 * constants) are listed in {@link #ignored()}. Float32, float16 and bfloat16 initializers are read; weights stored
 * outside the file (ONNX external data, for models over 2 GB) are refused by name.
 *
 * <p>ONNX's protobuf fields are decoded with protobuf-java's {@link CodedInputStream} (ModelProto.graph = 7;
 * GraphProto.node = 1, initializer = 5; NodeProto input = 1, name = 3, op_type = 4, attribute = 5; TensorProto dims =
 * 1, data_type = 2, float_data = 4, name = 8, raw_data = 9, data_location = 14).
 */
public final class OnnxModelFile implements TensorSource {

    private static final int FLOAT = 1;
    private static final int FLOAT16 = 10;
    private static final int BFLOAT16 = 16;
    private static final int EXTERNAL = 1;
    /** A node name that says its module: {@code /encoder/layer.0/attention/self/query/MatMul}. */
    private static final Pattern SCOPED = Pattern.compile("/(.+)/(?:MatMul|Gemm)(?:_\\d+)?");
    /** A parameter's own name: dotted, ending in weight or bias (LayerNorm's as well). */
    private static final Pattern PARAMETER = Pattern.compile("[A-Za-z_][\\w.]*\\.(?:weight|bias|gamma|beta)");

    private record Initializer(long[] dims, int dataType, ByteString raw, float[] floatData) {}

    /** One tensor as Hugging Face names it: an initializer, transposed or not. */
    private record Mapped(String initializer, boolean transpose) {}

    /** A graph node, as far as the import needs it. */
    public record Node(String name, String opType, List<String> inputs, Map<String, Long> intAttributes,
            Float floatConstant) {}

    private final Path file;
    private final Map<String, Initializer> initializers;
    private final Map<String, Mapped> tensors;
    private final List<String> ignored;
    private final List<Node> nodes;

    private OnnxModelFile(Path file, Map<String, Initializer> initializers, Map<String, Mapped> tensors, List<String> ignored,
            List<Node> nodes) {
        this.file = file;
        this.initializers = initializers;
        this.tensors = tensors;
        this.ignored = ignored;
        this.nodes = nodes;
    }

    /** Parses the graph and maps its initializers to Hugging Face names; the error names the file and the node. */
    public static OnnxModelFile open(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        in.enableAliasing(true); // initializers alias the file's bytes rather than copying ~100 MB
        in.setSizeLimit(Integer.MAX_VALUE);
        ByteString graph = null;
        try {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (tag >>> 3 == 7 && (tag & 7) == 2) {
                    graph = in.readBytes();
                } else {
                    in.skipField(tag);
                }
            }
        } catch (IOException e) {
            throw new IOException(file + " is not an ONNX model (protobuf ModelProto): " + e.getMessage(), e);
        }
        if (graph == null) {
            throw new IOException(file + " is not an ONNX model: it has no graph (ModelProto field 7)");
        }
        Map<String, Initializer> inits = new LinkedHashMap<>();
        List<Node> nodes = new ArrayList<>();
        CodedInputStream g = graph.newCodedInput();
        g.enableAliasing(true);
        g.setSizeLimit(Integer.MAX_VALUE);
        for (int tag = g.readTag(); tag != 0; tag = g.readTag()) {
            int field = tag >>> 3;
            if (field == 5 && (tag & 7) == 2) {
                Map.Entry<String, Initializer> t = readTensor(file, g.readBytes());
                if (t.getKey() == null) {
                    throw new IOException(file + ": an initializer without a name");
                }
                inits.put(t.getKey(), t.getValue());
            } else if (field == 1 && (tag & 7) == 2) {
                nodes.add(readNode(g.readBytes()));
            } else {
                g.skipField(tag);
            }
        }
        return new OnnxModelFile(file, inits, map(file, inits, nodes), ignoredOf(inits, nodes), List.copyOf(nodes));
    }

    /** A TensorProto: its name (null for a Constant's value) and contents. */
    private static Map.Entry<String, Initializer> readTensor(Path file, ByteString bytes) throws IOException {
        CodedInputStream t = bytes.newCodedInput();
        t.enableAliasing(true);
        t.setSizeLimit(Integer.MAX_VALUE);
        List<Long> dims = new ArrayList<>();
        int dataType = 0;
        int location = 0;
        String name = null;
        ByteString raw = null;
        List<Float> floats = new ArrayList<>();
        for (int tag = t.readTag(); tag != 0; tag = t.readTag()) {
            switch (tag >>> 3) {
                case 1 -> {
                    if ((tag & 7) == 2) {
                        int limit = t.pushLimit(t.readRawVarint32());
                        while (t.getBytesUntilLimit() > 0) {
                            dims.add(t.readInt64());
                        }
                        t.popLimit(limit);
                    } else {
                        dims.add(t.readInt64());
                    }
                }
                case 2 -> dataType = t.readInt32();
                case 4 -> {
                    if ((tag & 7) == 2) {
                        int limit = t.pushLimit(t.readRawVarint32());
                        while (t.getBytesUntilLimit() > 0) {
                            floats.add(t.readFloat());
                        }
                        t.popLimit(limit);
                    } else {
                        floats.add(t.readFloat());
                    }
                }
                case 8 -> name = t.readStringRequireUtf8();
                case 9 -> raw = t.readBytes();
                case 14 -> location = t.readInt32();
                default -> t.skipField(tag);
            }
        }
        if (location == EXTERNAL) {
            throw new IllegalArgumentException(file + ": initializer " + name + " is stored outside the file (ONNX external "
                    + "data); re-export the model in one file (a BERT-Base fits in 2 GB)");
        }
        float[] floatData = new float[floats.size()];
        for (int i = 0; i < floatData.length; i++) {
            floatData[i] = floats.get(i);
        }
        return new java.util.AbstractMap.SimpleImmutableEntry<>(name,
                new Initializer(dims.stream().mapToLong(Long::longValue).toArray(), dataType, raw, floatData));
    }

    private static Node readNode(ByteString bytes) throws IOException {
        CodedInputStream n = bytes.newCodedInput();
        List<String> inputs = new ArrayList<>();
        String name = "";
        String op = "";
        Map<String, Long> ints = new TreeMap<>();
        Float constant = null;
        for (int tag = n.readTag(); tag != 0; tag = n.readTag()) {
            switch (tag >>> 3) {
                case 1 -> inputs.add(n.readStringRequireUtf8());
                case 3 -> name = n.readStringRequireUtf8();
                case 4 -> op = n.readStringRequireUtf8();
                case 5 -> {
                    // AttributeProto: name = 1, i = 3, t = 5 (a Constant's value)
                    CodedInputStream a = n.readBytes().newCodedInput();
                    String attr = null;
                    Long i = null;
                    ByteString value = null;
                    for (int at = a.readTag(); at != 0; at = a.readTag()) {
                        switch (at >>> 3) {
                            case 1 -> attr = a.readStringRequireUtf8();
                            case 3 -> i = a.readInt64();
                            case 5 -> value = a.readBytes();
                            default -> a.skipField(at);
                        }
                    }
                    if (attr != null && i != null) {
                        ints.put(attr, i);
                    }
                    if (value != null) {
                        constant = scalarFloat(value);
                    }
                }
                default -> n.skipField(tag);
            }
        }
        return new Node(name, op, List.copyOf(inputs), Map.copyOf(ints), constant);
    }

    /** A Constant's value when it is one float32 (the attention scale), else null. */
    private static Float scalarFloat(ByteString tensor) throws IOException {
        Initializer t = readTensor(Path.of("Constant"), tensor).getValue();
        if (t.dataType() != FLOAT || Arrays.stream(t.dims()).reduce(1, (x, y) -> x * y) != 1) {
            return null;
        }
        if (t.floatData().length == 1) {
            return t.floatData()[0];
        }
        return t.raw() != null && t.raw().size() == 4
                ? t.raw().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getFloat() : null;
    }

    /** Hugging Face name -> initializer: the named parameters as they are, each MatMul/Gemm weight by its node's scope. */
    private static Map<String, Mapped> map(Path file, Map<String, Initializer> inits, List<Node> nodes) {
        Map<String, Mapped> out = new TreeMap<>();
        Set<String> weights = new HashSet<>();
        for (Node n : nodes) {
            boolean matMul = n.opType().equals("MatMul");
            if (!(matMul || n.opType().equals("Gemm")) || n.inputs().size() < 2 || !inits.containsKey(n.inputs().get(1))) {
                continue;
            }
            String init = n.inputs().get(1);
            Matcher m = SCOPED.matcher(n.name());
            if (!m.matches()) {
                throw new IllegalArgumentException(file + ": " + n.opType() + " node '" + n.name() + "' multiplies by "
                        + init + " but its name does not say its module (an export from a Hugging Face model names it "
                        + "/encoder/layer.0/attention/self/query/MatMul): export with optimum or torch.onnx.export");
            }
            String hf = m.group(1).replace('/', '.') + ".weight";
            // MatMul's operand is [in, out]; Gemm's is [out, in] when transB = 1, as nn.Linear stores it.
            boolean transpose = matMul || n.intAttributes().getOrDefault("transB", 0L) == 0L;
            put(file, out, hf, new Mapped(init, transpose));
            weights.add(init);
            if (n.opType().equals("Gemm") && n.inputs().size() > 2 && inits.containsKey(n.inputs().get(2))
                    && !PARAMETER.matcher(n.inputs().get(2)).matches()) {
                put(file, out, m.group(1).replace('/', '.') + ".bias", new Mapped(n.inputs().get(2), false));
                weights.add(n.inputs().get(2));
            }
        }
        for (Map.Entry<String, Initializer> e : inits.entrySet()) {
            if (!weights.contains(e.getKey()) && PARAMETER.matcher(e.getKey()).matches()) {
                put(file, out, e.getKey(), new Mapped(e.getKey(), false));
            }
        }
        return out;
    }

    private static void put(Path file, Map<String, Mapped> out, String name, Mapped m) {
        Mapped before = out.put(name, m);
        if (before != null && !before.equals(m)) {
            throw new IllegalArgumentException(file + ": two initializers (" + before.initializer() + ", " + m.initializer()
                    + ") both read as " + name);
        }
    }

    private static List<String> ignoredOf(Map<String, Initializer> inits, List<Node> nodes) throws IOException {
        Set<String> used = new TreeSet<>();
        for (Node n : nodes) {
            if ((n.opType().equals("MatMul") || n.opType().equals("Gemm")) && n.inputs().size() > 1) {
                used.addAll(n.inputs().subList(1, n.inputs().size()));
            }
        }
        List<String> out = new ArrayList<>();
        for (String name : inits.keySet()) {
            if (!used.contains(name) && !PARAMETER.matcher(name).matches()) {
                out.add(name);
            }
        }
        return List.copyOf(out);
    }

    /** The graph's nodes (op types and scopes, Constants' float values), for the architecture checks. */
    public List<Node> nodes() {
        return nodes;
    }

    @Override
    public String describe() {
        return file.toString();
    }

    @Override
    public Set<String> names() {
        return tensors.keySet();
    }

    @Override
    public String originalName(String name) {
        Mapped m = tensors.get(name);
        return m == null || m.initializer().equals(name) ? name : name + " (initializer " + m.initializer() + ", transposed)";
    }

    @Override
    public List<String> ignored() {
        return ignored;
    }

    @Override
    public long[] shape(String name) {
        Mapped m = mapped(name);
        long[] dims = initializers.get(m.initializer()).dims().clone();
        if (m.transpose()) {
            long t = dims[0];
            dims[0] = dims[1];
            dims[1] = t;
        }
        return dims;
    }

    @Override
    public float[] floats(String name) throws IOException {
        Mapped m = mapped(name);
        Initializer t = initializers.get(m.initializer());
        float[] values = values(m.initializer(), t);
        if (!m.transpose()) {
            return values;
        }
        int rows = (int) t.dims()[0];
        int cols = (int) t.dims()[1];
        float[] out = new float[values.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = values[r * cols + c];
            }
        }
        return out;
    }

    private Mapped mapped(String name) {
        Mapped m = tensors.get(name);
        if (m == null) {
            throw new IllegalArgumentException(file + " has no tensor " + name);
        }
        Initializer t = initializers.get(m.initializer());
        if (m.transpose() && t.dims().length != 2) {
            throw new IllegalArgumentException(file + ": " + originalName(name) + " has shape " + Arrays.toString(t.dims())
                    + ", not the two axes of a linear layer's weight");
        }
        return m;
    }

    private float[] values(String name, Initializer t) throws IOException {
        long count = Arrays.stream(t.dims()).reduce(1, (x, y) -> x * y);
        if (t.dataType() == FLOAT && t.raw() == null) {
            if (t.floatData().length != count) {
                throw new IOException(file + ": initializer " + name + " has " + t.floatData().length + " floats for shape "
                        + Arrays.toString(t.dims()));
            }
            return t.floatData().clone();
        }
        int width = switch (t.dataType()) {
            case FLOAT -> 4;
            case FLOAT16, BFLOAT16 -> 2;
            default -> throw new IllegalArgumentException(file + ": initializer " + name + " has ONNX data type "
                    + t.dataType() + ", not a float (1), float16 (10) or bfloat16 (16) weight");
        };
        if (t.raw() == null || t.raw().size() != count * width) {
            throw new IOException(file + ": initializer " + name + " has " + (t.raw() == null ? 0 : t.raw().size())
                    + " bytes for shape " + Arrays.toString(t.dims()) + " of " + width + "-byte values");
        }
        ByteBuffer buf = t.raw().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[(int) count];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (t.dataType()) {
                case FLOAT -> buf.getFloat();
                case FLOAT16 -> WeightFormat.float16ToFloat(buf.getShort());
                default -> Float.intBitsToFloat((buf.getShort() & 0xFFFF) << 16);
            };
        }
        return out;
    }

    @Override
    public void close() {
        // the file was read whole at open; nothing is held
    }
}
