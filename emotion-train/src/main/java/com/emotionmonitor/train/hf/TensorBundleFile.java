package com.emotionmonitor.train.hf;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * A TensorFlow checkpoint in the TensorBundle format that {@code tf.train.Saver} (V2), {@code tf.train.Checkpoint} and
 * a SavedModel's {@code variables/} write: {@code PREFIX.index}, a table of {@code BundleEntryProto}s keyed by tensor
 * name, and {@code PREFIX.data-0000K-of-0000N}, the raw little-endian tensors. Every entry is checked against its shard
 * before any is read (a known dtype, a byte length that matches the shape, offsets inside the shard), and every tensor
 * read is checked against the CRC32C the writer recorded. Float32, float16, bfloat16 and float64 read as float32.
 *
 * <p>The {@code .index} file is a LevelDB-format table (TensorFlow's {@code core/lib/io/table}): a 48-byte footer
 * with the index block's handle, blocks of prefix-compressed keys with a restart array, each followed by a compression
 * byte and a masked CRC32C. There is no maintained Java reader of that format on Maven Central (LevelDB ports read
 * their own databases, and TensorFlow Java needs its 150 MB natives), so the ~60 lines are here; the entries are
 * decoded with protobuf-java's {@link CodedInputStream}. Partitioned variables (slices) and compressed blocks, which
 * TensorFlow's bundle writer never produces for a BERT, are refused by name.
 */
public final class TensorBundleFile implements TensorSource {

    private static final long TABLE_MAGIC = 0xdb4775248b80fb57L;
    private static final int FOOTER = 48;
    /** TensorFlow's DataType enum values for the float types, to the dtype names {@link SafetensorsFile} reads. */
    private static final Map<Integer, String> FLOAT_DTYPES = Map.of(1, "F32", 2, "F64", 14, "BF16", 19, "F16");
    /** Byte widths of the dtypes a BERT checkpoint carries (global_step is int64). */
    private static final Map<Integer, Integer> WIDTHS = Map.of(1, 4, 2, 8, 3, 4, 9, 8, 14, 2, 19, 2);

    private record Entry(int dtype, long[] shape, int shard, long offset, long size, int crc32c) {}

    private final Path prefix;
    private final Map<String, Entry> entries;
    private final FileChannel[] shards;

    private TensorBundleFile(Path prefix, Map<String, Entry> entries, FileChannel[] shards) {
        this.prefix = prefix;
        this.entries = entries;
        this.shards = shards;
    }

    /** The index file of a bundle prefix: {@code bert_model.ckpt} -> {@code bert_model.ckpt.index}. */
    public static Path indexOf(Path prefix) {
        return prefix.resolveSibling(prefix.getFileName() + ".index");
    }

    /** The data shards of a bundle prefix, as the header counts them. */
    public static List<Path> shardsOf(Path prefix, int count) {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(prefix.resolveSibling(String.format("%s.data-%05d-of-%05d", prefix.getFileName(), i, count)));
        }
        return out;
    }

    /**
     * Opens the bundle at {@code prefix} (the path without {@code .index}); the error names the file and the entry at
     * fault.
     */
    public static TensorBundleFile open(Path prefix) throws IOException {
        Path index = indexOf(prefix);
        if (!Files.isRegularFile(index)) {
            throw new IllegalArgumentException("no TensorFlow checkpoint index " + index);
        }
        Map<String, byte[]> table = readTable(index);
        byte[] header = table.remove("");
        if (header == null) {
            throw new IOException(index + " has no bundle header (the entry with the empty key): not a TensorBundle index");
        }
        int numShards = header(index, header);
        List<Path> shardFiles = shardsOf(prefix, numShards);
        FileChannel[] channels = new FileChannel[numShards];
        try {
            long[] sizes = new long[numShards];
            for (int i = 0; i < numShards; i++) {
                if (!Files.isRegularFile(shardFiles.get(i))) {
                    throw new IllegalArgumentException(index + " names " + numShards + " data shard(s); " + shardFiles.get(i)
                            + " is missing");
                }
                channels[i] = FileChannel.open(shardFiles.get(i), StandardOpenOption.READ);
                sizes[i] = channels[i].size();
            }
            Map<String, Entry> entries = new TreeMap<>();
            for (Map.Entry<String, byte[]> e : table.entrySet()) {
                Entry entry = entry(index, e.getKey(), e.getValue());
                if (entry.shard() < 0 || entry.shard() >= numShards || entry.offset() < 0
                        || entry.offset() + entry.size() > sizes[entry.shard()]) {
                    throw new IOException(index + ": tensor " + e.getKey() + " lies outside its data shard " + entry.shard()
                            + " (offset " + entry.offset() + ", " + entry.size() + " bytes)");
                }
                entries.put(e.getKey(), entry);
            }
            return new TensorBundleFile(prefix, entries, channels);
        } catch (IOException | RuntimeException e) {
            for (FileChannel c : channels) {
                if (c != null) {
                    c.close();
                }
            }
            throw e;
        }
    }

    /** BundleHeaderProto: num_shards = 1, endianness = 2 (LITTLE = 0). */
    private static int header(Path index, byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        int shards = 0;
        int endianness = 0;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> shards = in.readInt32();
                case 2 -> endianness = in.readEnum();
                default -> in.skipField(tag);
            }
        }
        if (endianness != 0) {
            throw new IOException(index + " was written big-endian; only little-endian checkpoints are read");
        }
        if (shards < 1) {
            throw new IOException(index + ": the bundle header names " + shards + " data shards");
        }
        return shards;
    }

    /** BundleEntryProto: dtype 1, shape 2, shard_id 3, offset 4, size 5, crc32c 6 (fixed32), slices 7. */
    private static Entry entry(Path index, String name, byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        int dtype = 0;
        List<Long> dims = new ArrayList<>();
        int shard = 0;
        long offset = 0;
        long size = 0;
        int crc = 0;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> dtype = in.readEnum();
                case 2 -> readShape(in, dims, index, name);
                case 3 -> shard = in.readInt32();
                case 4 -> offset = in.readInt64();
                case 5 -> size = in.readInt64();
                case 6 -> crc = in.readFixed32();
                case 7 -> throw new IOException(index + ": tensor " + name + " is a partitioned variable (saved in slices), "
                        + "which this import does not read: re-save it unpartitioned");
                default -> in.skipField(tag);
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        Integer width = WIDTHS.get(dtype);
        if (width == null) {
            throw new IOException(index + ": tensor " + name + " has TensorFlow dtype " + dtype + ", not a number type a BERT "
                    + "checkpoint holds");
        }
        long count = 1;
        for (long d : shape) {
            count = Math.multiplyExact(count, d);
        }
        if (count * width != size) {
            throw new IOException(index + ": tensor " + name + " " + Arrays.toString(shape) + " of dtype " + dtype + " needs "
                    + count * width + " bytes, its entry says " + size);
        }
        return new Entry(dtype, shape, shard, offset, size, crc);
    }

    /** TensorShapeProto: dim 2 (TensorShapeProto.Dim: size 1), unknown_rank 3. */
    private static void readShape(CodedInputStream in, List<Long> dims, Path index, String name) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        for (int tag; (tag = in.readTag()) != 0; ) {
            if (WireFormat.getTagFieldNumber(tag) == 2) {
                int dimLimit = in.pushLimit(in.readRawVarint32());
                long size = 0;
                for (int t; (t = in.readTag()) != 0; ) {
                    if (WireFormat.getTagFieldNumber(t) == 1) {
                        size = in.readInt64();
                    } else {
                        in.skipField(t);
                    }
                }
                in.popLimit(dimLimit);
                if (size < 0) {
                    throw new IOException(index + ": tensor " + name + " has an unknown dimension");
                }
                dims.add(size);
            } else if (WireFormat.getTagFieldNumber(tag) == 3 && in.readBool()) {
                throw new IOException(index + ": tensor " + name + " has an unknown rank");
            } else {
                in.skipField(tag);
            }
        }
        in.popLimit(limit);
    }

    /** Every key and value of a LevelDB-format table, in key order. */
    static Map<String, byte[]> readTable(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < FOOTER) {
            throw new IOException(file + " is " + all.length + " bytes: too short for a TensorFlow table");
        }
        ByteBuffer footer = ByteBuffer.wrap(all, all.length - FOOTER, FOOTER).order(ByteOrder.LITTLE_ENDIAN);
        if (footer.getLong(all.length - 8) != TABLE_MAGIC) {
            throw new IOException(file + " does not end with TensorFlow's table magic number: not a checkpoint index");
        }
        CodedInputStream handles = CodedInputStream.newInstance(all, all.length - FOOTER, FOOTER - 8);
        handles.readRawVarint64(); // the metaindex block: empty in every TensorFlow table
        handles.readRawVarint64();
        byte[] indexBlock = block(file, all, handles.readRawVarint64(), handles.readRawVarint64());
        Map<String, byte[]> out = new TreeMap<>();
        for (byte[][] handle : blockEntries(file, indexBlock)) {
            CodedInputStream h = CodedInputStream.newInstance(handle[1]);
            for (byte[][] kv : blockEntries(file, block(file, all, h.readRawVarint64(), h.readRawVarint64()))) {
                out.put(new String(kv[0], java.nio.charset.StandardCharsets.UTF_8), kv[1]);
            }
        }
        return out;
    }

    /** A block's contents, after its 5-byte trailer (compression type, masked CRC32C) is checked. */
    private static byte[] block(Path file, byte[] all, long offset, long size) throws IOException {
        if (offset < 0 || size < 0 || offset + size + 5 > all.length - FOOTER) {
            throw new IOException(file + ": a block handle (" + offset + ", " + size + ") points outside the file");
        }
        int from = (int) offset;
        int length = (int) size;
        byte type = all[from + length];
        CRC32C crc = new CRC32C();
        crc.update(all, from, length + 1);
        int stored = ByteBuffer.wrap(all, from + length + 1, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (unmask(stored) != (int) crc.getValue()) {
            throw new IOException(file + ": the block at " + offset + " fails its CRC32C: the file is corrupt");
        }
        if (type != 0) {
            throw new IOException(file + ": the block at " + offset + " is compressed (type " + type + "); TensorFlow's "
                    + "checkpoint writer stores blocks uncompressed");
        }
        return Arrays.copyOfRange(all, from, from + length);
    }

    /** The entries of one block: shared-prefix length, suffix length, value length, suffix, value; restarts at the end. */
    private static List<byte[][]> blockEntries(Path file, byte[] block) throws IOException {
        if (block.length < 4) {
            throw new IOException(file + ": a block of " + block.length + " bytes has no restart array");
        }
        int restarts = ByteBuffer.wrap(block, block.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int end = block.length - 4 - 4 * restarts;
        if (restarts < 0 || end < 0) {
            throw new IOException(file + ": a block's restart array is corrupt");
        }
        CodedInputStream in = CodedInputStream.newInstance(block, 0, end);
        List<byte[][]> out = new ArrayList<>();
        byte[] key = new byte[0];
        while (!in.isAtEnd()) {
            int shared = in.readRawVarint32();
            int unshared = in.readRawVarint32();
            int valueLength = in.readRawVarint32();
            if (shared > key.length) {
                throw new IOException(file + ": a key shares " + shared + " bytes with a previous key of " + key.length);
            }
            byte[] next = Arrays.copyOf(key, shared + unshared);
            System.arraycopy(in.readRawBytes(unshared), 0, next, shared, unshared);
            key = next;
            out.add(new byte[][] {key, in.readRawBytes(valueLength)});
        }
        return out;
    }

    /** LevelDB's and TensorFlow's CRC masking ({@code crc32c::Unmask}). */
    static int unmask(int masked) {
        int rot = masked - 0xa282ead8;
        return (rot >>> 17) | (rot << 15);
    }

    @Override
    public String describe() {
        return indexOf(prefix).toString();
    }

    @Override
    public Set<String> names() {
        return entries.keySet();
    }

    @Override
    public long[] shape(String name) {
        return entry(name).shape().clone();
    }

    @Override
    public float[] floats(String name) throws IOException {
        Entry e = entry(name);
        String dtype = FLOAT_DTYPES.get(e.dtype());
        if (dtype == null) {
            throw new IllegalArgumentException(describe() + ": tensor " + name + " has TensorFlow dtype " + e.dtype()
                    + ", not a floating-point weight");
        }
        if (e.size() > Integer.MAX_VALUE) {
            throw new IOException(describe() + ": tensor " + name + " is larger than 2 GB");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) e.size());
        FileChannel ch = shards[e.shard()];
        while (buf.hasRemaining()) {
            if (ch.read(buf, e.offset() + buf.position()) < 0) {
                throw new IOException(describe() + ": data shard " + e.shard() + " ends inside tensor " + name);
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.array());
        if (unmask(e.crc32c()) != (int) crc.getValue()) {
            throw new IOException(describe() + ": tensor " + name + " fails its CRC32C: data shard " + e.shard()
                    + " is corrupt or belongs to another checkpoint");
        }
        buf.flip();
        return SafetensorsFile.toFloats(name, dtype, buf.order(ByteOrder.LITTLE_ENDIAN));
    }

    /** The number of data shards, for the manifest's list of source files. */
    public int shardCount() {
        return shards.length;
    }

    private Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException(describe() + " has no tensor " + name);
        }
        return e;
    }

    @Override
    public void close() throws IOException {
        for (FileChannel c : shards) {
            c.close();
        }
    }
}
