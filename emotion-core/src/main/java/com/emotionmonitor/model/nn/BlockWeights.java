package com.emotionmonitor.model.nn;

import com.emotionmonitor.store.ArtifactFiles;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.emotionmonitor.model.ngram.WeightFormat;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * A block's parameters on disk: in DJL's own format (what training writes, float32), or in ours, which can
 * store float16 and so halves a published version. Loading reads either, told apart by the magic; float16
 * values are widened to float32, so inference runs as before on the rounded weights.
 * <pre>
 *   magic "EMWEIGHT" | int version | int weight format (0 f32, 1 f16) | int parameter count
 *   | per parameter (in the block's order): UTF name | int rank | long[rank] dims | values
 *   | int CRC32 of every byte before it           (big-endian throughout)
 * </pre>
 */
public final class BlockWeights {

    static final byte[] MAGIC = "EMWEIGHT".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;

    private BlockWeights() {}

    /** Writes the initialised block's parameters to {@code file} (atomically) in {@code format}. */
    public static Path write(Block block, Path file, WeightFormat format) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(format.code());
        out.writeInt(block.getParameters().size());
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray array = p.getValue().getArray();
            long[] dims = array.getShape().getShape();
            out.writeUTF(p.getKey());
            out.writeInt(dims.length);
            for (long d : dims) {
                out.writeLong(d);
            }
            for (float v : array.toFloatArray()) {
                format.write(out, v);
            }
        }
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeInt((int) crc.getValue());
        return ArtifactFiles.writeAtomically(file, bytes.toByteArray());
    }

    /**
     * Loads {@code file}, in either format, into the initialised block.
     *
     * @throws MalformedWeightsException on any mismatch (corruption, shapes, version), naming the file
     */
    public static void load(Block block, NDManager manager, Path file) throws IOException {
        if (!isOurs(file)) {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                block.loadParameters(manager, in);
            } catch (IOException | RuntimeException | MalformedModelException e) {
                // DJL's own errors often carry no message (an EOF, a bad tag): say which file and what was found.
                throw new MalformedWeightsException(file + " (" + Files.size(file) + " bytes) is not a parameter file of this"
                        + " architecture in DJL's format (nor ours, magic EMWEIGHT): " + describe(e), e);
            }
            return;
        }
        byte[] bytes = Files.readAllBytes(file);
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        if (ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt() != (int) crc.getValue()) {
            throw new MalformedWeightsException(file + " fails its CRC32 check: corrupted or truncated");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, MAGIC.length, bytes.length - MAGIC.length - 4));
        int version = in.readInt();
        if (version != VERSION) {
            throw new MalformedWeightsException(file + " has weight file version " + version + ", this build reads " + VERSION);
        }
        WeightFormat format;
        try {
            format = WeightFormat.ofCode(in.readInt());
        } catch (IllegalArgumentException e) {
            throw new MalformedWeightsException(file + ": " + e.getMessage());
        }
        int count = in.readInt();
        if (count != block.getParameters().size()) {
            throw new MalformedWeightsException(file + " holds " + count + " parameters, the block has " + block.getParameters().size());
        }
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray array = p.getValue().getArray();
            String name = in.readUTF();
            long[] dims = new long[in.readInt()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = in.readLong();
            }
            if (!name.equals(p.getKey()) || !Arrays.equals(dims, array.getShape().getShape())) {
                throw new MalformedWeightsException(file + " has parameter " + name + " " + Arrays.toString(dims) + " where the block has "
                        + p.getKey() + " " + array.getShape());
            }
            float[] values = new float[Math.toIntExact(array.size())];
            for (int i = 0; i < values.length; i++) {
                values[i] = format.read(in);
            }
            array.set(values);
        }
        if (in.available() != 0) {
            throw new MalformedWeightsException(file + " has " + in.available() + " bytes after its last parameter");
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return root == e ? top : top + " (caused by " + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")";
    }

    /** The weight format of a file: f16 or f32 for ours, f32 for DJL's. */
    public static WeightFormat formatOf(Path file) throws IOException {
        if (!isOurs(file)) {
            return WeightFormat.F32;
        }
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            in.skipNBytes(MAGIC.length + 4);
            return WeightFormat.ofCode(in.readInt());
        }
    }

    private static boolean isOurs(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(MAGIC.length), MAGIC);
        }
    }
}
