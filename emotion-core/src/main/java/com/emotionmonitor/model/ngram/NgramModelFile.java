package com.emotionmonitor.model.ngram;

import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.model.ModelLoadException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The binary model file {@code ngram.bin}, little-endian:
 * <pre>
 *   magic "EMNGRAM\0" | int format version | int hash function version | int hashBits | int minOrder
 *   | int maxOrder | int flags (1 = boundary markers, 2 = signed hash) | int minDf | int classes
 *   | int vocabulary size | long vocabulary fingerprint | int weight format (0 f32, 1 f16)
 *   | int n, n bytes UTF-8 class labels joined by ','
 *   | IDF[2^hashBits] | weights[2^hashBits x classes], bucket-major (both in the weight format)
 *   | float32 bias[classes] | int CRC32 of every byte before it
 * </pre>
 * The size follows from the header, so a truncated or padded file is named as such; any flipped bit
 * fails the CRC. Every refusal is a {@link ModelLoadException} naming the file.
 */
final class NgramModelFile {

    static final byte[] MAGIC = "EMNGRAM\0".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT_VERSION = 1;
    private static final int FLAG_BOUNDARY = 1;
    private static final int FLAG_SIGNED = 2;
    /** Magic through the label-length field. */
    private static final int FIXED_HEADER = 8 + 4 * 11 + 8;
    private static final int MAX_LABEL_BYTES = 4096;
    private static final int MAX_CLASSES = 256;

    private NgramModelFile() {}

    static Path write(NgramClassifier model, Path file) throws IOException {
        NgramSettings s = model.settings();
        WeightFormat format = model.format();
        byte[] labels = String.join(",", model.labels()).getBytes(StandardCharsets.UTF_8);
        int classes = model.labels().size();
        long size = FIXED_HEADER + labels.length + payloadBytes(s, format, classes) + 4;
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC)
                .putInt(FORMAT_VERSION)
                .putInt(NgramHash.VERSION)
                .putInt(s.hashBits())
                .putInt(s.minOrder())
                .putInt(s.maxOrder())
                .putInt((s.boundaryMarkers() ? FLAG_BOUNDARY : 0) | (s.signedHash() ? FLAG_SIGNED : 0))
                .putInt(s.minDf())
                .putInt(classes)
                .putInt(model.vocabulary().size())
                .putLong(model.vocabulary().fingerprint())
                .putInt(format.code())
                .putInt(labels.length)
                .put(labels);
        putValues(buf, model.featurizer().idfTable(), format);
        putValues(buf, model.weights(), format);
        for (float b : model.bias()) {
            buf.putFloat(b);
        }
        CRC32 crc = new CRC32();
        crc.update(buf.array(), 0, buf.position());
        buf.putInt((int) crc.getValue());
        return ArtifactFiles.writeAtomically(file, buf.array());
    }

    static NgramClassifier read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException("n-gram model file " + file + " does not exist");
        }
        long fileSize = Files.size(file);
        if (fileSize < FIXED_HEADER + 4) {
            throw refuse(file, "is " + fileSize + " bytes, shorter than the header: truncated or not an n-gram model");
        }
        if (fileSize > Integer.MAX_VALUE - 8) {
            throw refuse(file, "is " + fileSize + " bytes, larger than any n-gram model");
        }
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[MAGIC.length];
        buf.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw refuse(file, "does not start with the n-gram model magic: not an n-gram model file");
        }
        int version = buf.getInt();
        if (version != FORMAT_VERSION) {
            throw refuse(file, "has format version " + version + ", this build reads version " + FORMAT_VERSION);
        }
        int hashVersion = buf.getInt();
        if (hashVersion != NgramHash.VERSION) {
            throw refuse(file, "was hashed with n-gram hash version " + hashVersion + ", this build hashes with version "
                    + NgramHash.VERSION);
        }
        int hashBits = buf.getInt();
        int minOrder = buf.getInt();
        int maxOrder = buf.getInt();
        int flags = buf.getInt();
        int minDf = buf.getInt();
        int classes = buf.getInt();
        int vocabSize = buf.getInt();
        long fingerprint = buf.getLong();
        int formatCode = buf.getInt();
        int labelBytes = buf.getInt();
        NgramSettings settings;
        WeightFormat format;
        try {
            settings = new NgramSettings(hashBits, minOrder, maxOrder, (flags & FLAG_BOUNDARY) != 0, (flags & FLAG_SIGNED) != 0, minDf);
            format = WeightFormat.ofCode(formatCode);
        } catch (IllegalArgumentException e) {
            throw refuse(file, "has an invalid header (" + e.getMessage() + "): corrupted");
        }
        if ((flags & ~(FLAG_BOUNDARY | FLAG_SIGNED)) != 0 || vocabSize < 0 || labelBytes < 0 || labelBytes > MAX_LABEL_BYTES) {
            throw refuse(file, "has an invalid header (flags " + flags + ", vocabulary size " + vocabSize + ", label bytes "
                    + labelBytes + "): corrupted");
        }
        if (classes < 2 || classes > MAX_CLASSES) {
            throw refuse(file, "has an invalid header (" + classes + " classes): corrupted");
        }
        long expected = FIXED_HEADER + labelBytes + payloadBytes(settings, format, classes) + 4;
        if (fileSize != expected) {
            throw refuse(file, "is " + fileSize + " bytes but its header promises " + expected + ": "
                    + (fileSize < expected ? "truncated" : "trailing bytes, not written by this format"));
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (stored != (int) crc.getValue()) {
            throw refuse(file, "fails its CRC32 check (stored " + Integer.toHexString(stored) + ", computed "
                    + Integer.toHexString((int) crc.getValue()) + "): corrupted");
        }
        byte[] labelUtf8 = new byte[labelBytes];
        buf.get(labelUtf8);
        List<String> labels = List.of(new String(labelUtf8, StandardCharsets.UTF_8).split(",", -1));
        if (labels.size() != classes || labels.stream().anyMatch(String::isEmpty)) {
            throw refuse(file, "names classes " + labels + " but its header says " + classes + ": corrupted");
        }
        float[] idf = getValues(buf, settings.buckets(), format);
        float[] weights = getValues(buf, settings.buckets() * classes, format);
        float[] bias = new float[classes];
        for (int c = 0; c < classes; c++) {
            bias[c] = buf.getFloat();
        }
        return new NgramClassifier(new NgramFeaturizer(settings, idf), new VocabularyStamp(vocabSize, fingerprint), format,
                labels, weights, bias);
    }

    private static ModelLoadException refuse(Path file, String why) {
        return new ModelLoadException("n-gram model file " + file + " " + why);
    }

    private static long payloadBytes(NgramSettings s, WeightFormat format, int classes) {
        return (long) s.buckets() * (1 + classes) * format.bytesPerValue() + 4L * classes;
    }

    private static void putValues(ByteBuffer buf, float[] values, WeightFormat format) {
        if (format == WeightFormat.F16) {
            for (float v : values) {
                buf.putShort(WeightFormat.Half.fromFloat(v));
            }
        } else {
            for (float v : values) {
                buf.putFloat(v);
            }
        }
    }

    private static float[] getValues(ByteBuffer buf, int n, WeightFormat format) {
        float[] out = new float[n];
        if (format == WeightFormat.F16) {
            for (int i = 0; i < n; i++) {
                out[i] = WeightFormat.Half.toFloat(buf.getShort());
            }
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = buf.getFloat();
            }
        }
        return out;
    }
}
