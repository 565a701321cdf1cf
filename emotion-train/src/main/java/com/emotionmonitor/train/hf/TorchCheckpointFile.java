package com.emotionmonitor.train.hf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * A {@code pytorch_model.bin} as {@code torch.save} writes it since PyTorch 1.6: a zip whose {@code <archive>/data.pkl}
 * pickles the state dict and whose {@code <archive>/data/<key>} entries hold the raw little-endian storages. The
 * pickle is read with Pyrolite ({@code net.razorvine:pickle}), a maintained unpickler that never runs code: it only
 * builds Java objects, and here only from the few globals a state dict uses ({@code collections.OrderedDict},
 * {@code torch._utils._rebuild_tensor_v2}, {@code torch._utils._rebuild_parameter}, the {@code torch.*Storage} types),
 * with storages resolved through its {@code persistent_load} hook. Anything else in the pickle (a module, an
 * optimizer, a wrapped dict) is refused by name. The pre-1.6 format (a bare pickle stream) and TorchScript archives
 * are refused with what to do instead.
 */
public final class TorchCheckpointFile implements TensorSource {

    /** A storage the pickle refers to: its element type and entry key. */
    record Storage(String dtype, int elementBytes, String key, long elements) {}

    /** A tensor as {@code _rebuild_tensor_v2} describes it: a strided view of a storage. */
    record Tensor(Storage storage, long offset, long[] size, long[] stride) {}

    /** The {@code torch.*Storage} type a storage reference names. */
    private record StorageType(String dtype, int bytes) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            throw new PickleException("a storage type is never called in a state dict");
        }
    }

    /** {@code collections.OrderedDict}, including the {@code _metadata} attribute torch sets on state dicts. */
    public static final class OrderedDict extends LinkedHashMap<Object, Object> {
        private static final long serialVersionUID = 1L;

        /** Pyrolite's BUILD hook; the state is the dict's attributes (torch's per-module version numbers). */
        public void __setstate__(HashMap<?, ?> state) {
            // nothing the weights depend on
        }
    }

    static {
        Map<String, StorageType> storages = Map.ofEntries(Map.entry("FloatStorage", new StorageType("F32", 4)),
                Map.entry("HalfStorage", new StorageType("F16", 2)), Map.entry("BFloat16Storage", new StorageType("BF16", 2)),
                Map.entry("DoubleStorage", new StorageType("F64", 8)), Map.entry("LongStorage", new StorageType("I64", 8)),
                Map.entry("IntStorage", new StorageType("I32", 4)), Map.entry("ShortStorage", new StorageType("I16", 2)),
                Map.entry("CharStorage", new StorageType("I8", 1)), Map.entry("ByteStorage", new StorageType("U8", 1)),
                Map.entry("BoolStorage", new StorageType("BOOL", 1)));
        storages.forEach((name, type) -> Unpickler.registerConstructor("torch", name, type));
        Unpickler.registerConstructor("collections", "OrderedDict", args -> new OrderedDict());
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor_v2", TorchCheckpointFile::rebuildTensor);
        // nn.Parameter(data, requires_grad, hooks): the data is the tensor.
        Unpickler.registerConstructor("torch._utils", "_rebuild_parameter", args -> args[0]);
    }

    private final Path file;
    private final ZipFile zip;
    private final String prefix;
    private final Map<String, Tensor> tensors;

    private TorchCheckpointFile(Path file, ZipFile zip, String prefix, Map<String, Tensor> tensors) {
        this.file = file;
        this.zip = zip;
        this.prefix = prefix;
        this.tensors = tensors;
    }

    public static TorchCheckpointFile open(Path file) throws IOException {
        byte[] magic = new byte[4];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(magic, 0, 4) < 4) {
                throw new IOException(file + " is too short to be a PyTorch checkpoint");
            }
        }
        if (!(magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4)) {
            throw new IOException(file + " is not a zip: a PyTorch file from before 1.6 (a bare pickle stream), which this "
                    + "import does not read; convert it to model.safetensors, or re-save it with a newer torch.save");
        }
        ZipFile zip = new ZipFile(file.toFile());
        try {
            ZipEntry pickle = zip.stream().filter(e -> e.getName().endsWith("/data.pkl") && e.getName().indexOf('/') == e.getName().lastIndexOf('/'))
                    .findFirst().orElseThrow(() -> new IOException(file + " has no <archive>/data.pkl: not a torch.save file"));
            String prefix = pickle.getName().substring(0, pickle.getName().length() - "data.pkl".length());
            if (zip.getEntry(prefix + "constants.pkl") != null || zip.getEntry(prefix + "code/") != null) {
                throw new IOException(file + " is a TorchScript archive, not a state dict: save model.state_dict() instead");
            }
            ZipEntry order = zip.getEntry(prefix + "byteorder");
            if (order != null) {
                String byteOrder = new String(zip.getInputStream(order).readAllBytes(), StandardCharsets.US_ASCII).trim();
                if (!byteOrder.equals("little")) {
                    throw new IOException(file + " stores its tensors " + byteOrder + "-endian; only little-endian files are read");
                }
            }
            Object root;
            try (InputStream in = zip.getInputStream(pickle)) {
                root = new StateDictUnpickler().load(in);
            } catch (PickleException e) {
                throw new IOException(file + ": " + prefix + "data.pkl does not unpickle as a state dict: " + e.getMessage(), e);
            }
            return new TorchCheckpointFile(file, zip, prefix, stateDict(file, root));
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    /** The pickle's top level must be a flat name -> tensor dict. */
    private static Map<String, Tensor> stateDict(Path file, Object root) throws IOException {
        if (!(root instanceof Map<?, ?> map)) {
            throw new IOException(file + " holds a " + describe(root) + ", not a state dict (a dict of tensors)");
        }
        Map<String, Tensor> out = new TreeMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String name)) {
                throw new IOException(file + " has a key " + e.getKey() + " that is not a tensor name");
            }
            if (!(e.getValue() instanceof Tensor t)) {
                throw new IOException(file + ": entry " + name + " is a " + describe(e.getValue()) + ", not a tensor"
                        + (e.getValue() instanceof Map ? " (a wrapped checkpoint: save the model's state_dict() itself)" : ""));
            }
            out.put(name, t);
        }
        return Collections.unmodifiableMap(out);
    }

    private static String describe(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }

    /** {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])}. */
    private static Object rebuildTensor(Object[] args) {
        if (args.length < 4 || !(args[0] instanceof Storage storage)) {
            throw new PickleException("_rebuild_tensor_v2 without a storage: " + Arrays.toString(args));
        }
        return new Tensor(storage, ((Number) args[1]).longValue(), longs(args[2]), longs(args[3]));
    }

    private static long[] longs(Object tuple) {
        Object[] t = (Object[]) tuple;
        long[] out = new long[t.length];
        for (int i = 0; i < t.length; i++) {
            out[i] = ((Number) t[i]).longValue();
        }
        return out;
    }

    /** Resolves {@code ('storage', type, key, location, numel)} references to {@link Storage}s. */
    private static final class StateDictUnpickler extends Unpickler {
        @Override
        protected Object persistentLoad(Object pid) {
            if (!(pid instanceof Object[] t) || t.length < 5 || !"storage".equals(t[0]) || !(t[1] instanceof StorageType type)) {
                throw new PickleException("unexpected persistent id " + (pid instanceof Object[] a ? Arrays.toString(a) : pid)
                        + ": only tensor storages belong in a state dict");
            }
            return new Storage(type.dtype(), type.bytes(), String.valueOf(t[2]), ((Number) t[4]).longValue());
        }
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
    public long[] shape(String name) {
        return tensor(name).size().clone();
    }

    /** The element type of a tensor ({@code F32}, {@code F16}, ...). */
    public String dtype(String name) {
        return tensor(name).storage().dtype();
    }

    @Override
    public float[] floats(String name) throws IOException {
        Tensor t = tensor(name);
        Storage s = t.storage();
        ZipEntry entry = zip.getEntry(prefix + "data/" + s.key());
        if (entry == null) {
            throw new IOException(file + ": tensor " + name + " refers to storage " + s.key() + ", which the archive lacks");
        }
        byte[] data;
        try (InputStream in = zip.getInputStream(entry)) {
            data = in.readAllBytes();
        }
        if (data.length != s.elements() * s.elementBytes()) {
            throw new IOException(file + ": storage " + s.key() + " has " + data.length + " bytes, the pickle says "
                    + s.elements() + " x " + s.elementBytes());
        }
        return SafetensorsFile.toFloats(name, s.dtype(), gather(name, t, data).order(ByteOrder.LITTLE_ENDIAN));
    }

    /** The tensor's elements in row-major order, copied out of its (possibly strided) storage view. */
    private ByteBuffer gather(String name, Tensor t, byte[] data) throws IOException {
        int width = t.storage().elementBytes();
        long count = 1;
        long last = t.offset();
        for (int d = 0; d < t.size().length; d++) {
            count *= t.size()[d];
            last += (t.size()[d] - 1) * t.stride()[d];
        }
        if (count == 0) {
            return ByteBuffer.allocate(0);
        }
        if (t.offset() < 0 || last >= t.storage().elements()) {
            throw new IOException(file + ": tensor " + name + " reaches past its storage " + t.storage().key());
        }
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(count * width));
        if (isContiguous(t)) {
            return out.put(data, Math.toIntExact(t.offset() * width), out.capacity()).flip();
        }
        long[] index = new long[t.size().length];
        for (long n = 0; n < count; n++) {
            long at = t.offset();
            for (int d = 0; d < index.length; d++) {
                at += index[d] * t.stride()[d];
            }
            out.put(data, Math.toIntExact(at * width), width);
            for (int d = index.length - 1; d >= 0 && ++index[d] == t.size()[d]; d--) {
                index[d] = 0;
            }
        }
        return out.flip();
    }

    private static boolean isContiguous(Tensor t) {
        long expected = 1;
        for (int d = t.size().length - 1; d >= 0; d--) {
            if (t.size()[d] != 1 && t.stride()[d] != expected) {
                return false;
            }
            expected *= t.size()[d];
        }
        return true;
    }

    private Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException(file + " has no tensor " + name);
        }
        return t;
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
