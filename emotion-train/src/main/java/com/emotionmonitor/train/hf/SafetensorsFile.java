package com.emotionmonitor.train.hf;

import com.emotionmonitor.model.ngram.WeightFormat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@code model.safetensors} file, read directly: an unsigned little-endian 64-bit header length, a JSON header
 * mapping each tensor name to its {@code dtype}, {@code shape} and {@code data_offsets} (relative to the end of the
 * header; {@code __metadata__} aside), then the raw little-endian data. Every entry is checked against the file
 * before any is read: a known dtype, offsets inside the file, a byte length that matches the shape. F32, F16, BF16
 * and F64 read as float32; integer tensors (e.g. {@code position_ids}) are listed but refused as weights.
 */
public final class SafetensorsFile implements TensorSource {

    /** Larger headers are not a safetensors file (the format caps them at 100 MB). */
    private static final long MAX_HEADER = 100L << 20;
    private static final Map<String, Integer> DTYPE_BYTES = Map.ofEntries(Map.entry("F64", 8), Map.entry("F32", 4),
            Map.entry("F16", 2), Map.entry("BF16", 2), Map.entry("I64", 8), Map.entry("I32", 4), Map.entry("I16", 2),
            Map.entry("I8", 1), Map.entry("U8", 1), Map.entry("BOOL", 1));

    private record Entry(String dtype, long[] shape, long begin, long end) {}

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, Entry> entries;

    private SafetensorsFile(Path file, FileChannel channel, long dataStart, Map<String, Entry> entries) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.entries = entries;
    }

    /** Opens and validates the header; the error names the file and the entry at fault. */
    public static SafetensorsFile open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = ch.size();
            ByteBuffer len = read(ch, 0, 8, file);
            long headerLength = len.order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > size) {
                throw new IOException(file + " is not a safetensors file: header length " + headerLength + " in a file of "
                        + size + " bytes");
            }
            ByteBuffer h = read(ch, 8, (int) headerLength, file);
            JsonNode header = new ObjectMapper().readTree(new String(h.array(), StandardCharsets.UTF_8));
            long dataStart = 8 + headerLength;
            Map<String, Entry> entries = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().equals("__metadata__")) {
                    entries.put(e.getKey(), entry(file, e.getKey(), e.getValue(), size - dataStart));
                }
            }
            return new SafetensorsFile(file, ch, dataStart, entries);
        } catch (IOException | RuntimeException e) {
            ch.close();
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IOException(file + " has an unreadable safetensors header: " + e.getMessage(), e);
        }
    }

    private static Entry entry(Path file, String name, JsonNode n, long dataBytes) throws IOException {
        String dtype = n.path("dtype").asText();
        Integer width = DTYPE_BYTES.get(dtype);
        if (width == null) {
            throw new IOException(file + ": tensor " + name + " has dtype '" + dtype + "', not one of " + DTYPE_BYTES.keySet());
        }
        JsonNode shapeNode = n.path("shape");
        JsonNode offsets = n.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw new IOException(file + ": tensor " + name + " lacks a shape or a pair of data_offsets");
        }
        long[] shape = new long[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong(-1);
            if (shape[i] < 0) {
                throw new IOException(file + ": tensor " + name + " has a negative dimension " + shapeNode);
            }
            count = Math.multiplyExact(count, shape[i]);
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        if (begin < 0 || end < begin || end > dataBytes) {
            throw new IOException(file + ": tensor " + name + " has data_offsets [" + begin + ", " + end + "] outside the "
                    + dataBytes + " data bytes");
        }
        if (end - begin != count * width) {
            throw new IOException(file + ": tensor " + name + " " + dtype + " " + Arrays.toString(shape) + " needs " + count * width
                    + " bytes, its offsets span " + (end - begin));
        }
        return new Entry(dtype, shape, begin, end);
    }

    @Override
    public String describe() {
        return file.toString();
    }

    @Override
    public Set<String> names() {
        return entries.keySet();
    }

    /** The dtype of a tensor as the header names it ({@code F32}, {@code F16}, ...). */
    public String dtype(String name) {
        return entry(name).dtype();
    }

    @Override
    public long[] shape(String name) {
        return entry(name).shape().clone();
    }

    @Override
    public float[] floats(String name) throws IOException {
        Entry e = entry(name);
        long bytes = e.end() - e.begin();
        if (bytes > Integer.MAX_VALUE) {
            throw new IOException(file + ": tensor " + name + " is larger than 2 GB");
        }
        ByteBuffer buf = read(channel, dataStart + e.begin(), (int) bytes, file).order(ByteOrder.LITTLE_ENDIAN);
        return toFloats(name, e.dtype(), buf);
    }

    /** Little-endian {@code dtype} values to float32. */
    static float[] toFloats(String name, String dtype, ByteBuffer buf) {
        int n;
        float[] out;
        switch (dtype) {
            case "F32" -> {
                out = new float[buf.remaining() / 4];
                buf.asFloatBuffer().get(out);
            }
            case "F16" -> {
                n = buf.remaining() / 2;
                out = new float[n];
                for (int i = 0; i < n; i++) {
                    out[i] = WeightFormat.float16ToFloat(buf.getShort());
                }
            }
            case "BF16" -> {
                n = buf.remaining() / 2;
                out = new float[n];
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat((buf.getShort() & 0xFFFF) << 16); // bfloat16: float32's upper half
                }
            }
            case "F64" -> {
                n = buf.remaining() / 8;
                out = new float[n];
                for (int i = 0; i < n; i++) {
                    out[i] = (float) buf.getDouble();
                }
            }
            default -> throw new IllegalArgumentException("tensor " + name + " is " + dtype + ", not a floating-point weight");
        }
        return out;
    }

    private Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException(file + " has no tensor " + name);
        }
        return e;
    }

    private static ByteBuffer read(FileChannel ch, long position, int length, Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) {
                throw new IOException(file + " ends at " + (position + buf.position()) + " bytes: truncated");
            }
        }
        return buf.flip();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
