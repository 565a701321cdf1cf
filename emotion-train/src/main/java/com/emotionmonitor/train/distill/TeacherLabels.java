package com.emotionmonitor.train.distill;

import com.emotionmonitor.model.BatchPredictor;
import com.emotionmonitor.model.Emotion;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.text.Encoding;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.LongConsumer;

/**
 * A teacher's six probabilities for every text of a corpus, computed once and reused by every distillation run
 * (labelling 2 M posts takes an hour or more on one core). The header names the teacher (its manifest's sha256) and
 * the corpus (a sha256 over its texts in order): a file from another teacher or another corpus is refused, never
 * silently mixed in. Writing is resumable: rows go to {@code FILE.partial}, which a restarted run continues; the
 * complete file is renamed into place.
 *
 * <pre>
 *   magic "EMTEACH1" | UTF teacher id | UTF teacher manifest sha256 | UTF corpus sha256 | int rows | int classes
 *   | float[rows x classes] probabilities (little-endian)
 * </pre>
 */
public final class TeacherLabels {

    static final byte[] MAGIC = "EMTEACH1".getBytes(StandardCharsets.US_ASCII);
    private static final int CLASSES = Emotion.count();
    private static final int CHUNK = 4096;

    private final String teacherId;
    private final String teacherSha256;
    private final String corpusSha256;
    private final float[] probabilities;

    private TeacherLabels(String teacherId, String teacherSha256, String corpusSha256, float[] probabilities) {
        this.teacherId = teacherId;
        this.teacherSha256 = teacherSha256;
        this.corpusSha256 = corpusSha256;
        this.probabilities = probabilities;
    }

    /** Who labelled: e.g. {@code weibo-emotion/2026-11-22.3}, and the sha256 of its manifest. */
    public record Teacher(String id, String manifestSha256, BatchPredictor predictor, IntFunction<Encoding> encode) {}

    /** A sha256 over the texts in order: the corpus a file belongs to. */
    public static String fingerprint(List<String> texts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String t : texts) {
                md.update(t.getBytes(StandardCharsets.UTF_8));
                md.update((byte) '\n');
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The labels of {@code texts} by {@code teacher}: read from {@code file} if it exists (and belongs to both),
     * else computed, continuing {@code file.partial} if an earlier run left one.
     *
     * @param progress told the number of rows done after each chunk
     */
    public static TeacherLabels loadOrCompute(Path file, Teacher teacher, List<String> texts, LongConsumer progress)
            throws IOException {
        String corpus = fingerprint(texts);
        if (Files.exists(file)) {
            return read(file, teacher.manifestSha256(), corpus);
        }
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        long done = 0;
        if (Files.exists(partial)) {
            Header h = readHeader(partial);
            h.requireSame(partial, teacher.manifestSha256(), corpus, texts.size());
            done = (Files.size(partial) - h.bytes()) / (4L * CLASSES);
        } else {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(partial))) {
                new Header(teacher.id(), teacher.manifestSha256(), corpus, texts.size()).write(out);
            }
        }
        long keep = readHeader(partial).bytes() + done * 4L * CLASSES; // drop a half-written last row
        try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE)) {
            ch.truncate(keep);
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial, StandardOpenOption.APPEND), 1 << 16)) {
            ByteBuffer row = ByteBuffer.allocate(4 * CLASSES).order(ByteOrder.LITTLE_ENDIAN);
            for (int start = (int) done; start < texts.size(); start += CHUNK) {
                int end = Math.min(texts.size(), start + CHUNK);
                List<Encoding> batch = new ArrayList<>(end - start);
                for (int i = start; i < end; i++) {
                    batch.add(teacher.encode().apply(i));
                }
                List<Prediction> preds = com.emotionmonitor.train.BatchedInference.predictAll(teacher.predictor(), batch, 4096, 128);
                for (Prediction p : preds) {
                    row.clear();
                    for (float f : p.probabilities()) {
                        row.putFloat(f);
                    }
                    out.write(row.array());
                }
                out.flush();
                progress.accept(end);
            }
        }
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        return read(file, teacher.manifestSha256(), corpus);
    }

    /**
     * Reads a complete file.
     *
     * @throws IllegalArgumentException when it is from another teacher or corpus, or incomplete
     */
    public static TeacherLabels read(Path file, String teacherSha256, String corpusSha256) throws IOException {
        Header h = readHeader(file);
        long expected = h.bytes() + (long) h.rows() * CLASSES * 4;
        if (Files.size(file) != expected) {
            throw new IllegalArgumentException("teacher labels " + file + " hold " + (Files.size(file) - h.bytes()) / (4 * CLASSES)
                    + " of " + h.rows() + " rows: incomplete");
        }
        h.requireSame(file, teacherSha256, corpusSha256, h.rows());
        float[] probs = new float[h.rows() * CLASSES];
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(h.bytes());
            ByteBuffer buf = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            buf.asFloatBuffer().get(probs);
        }
        return new TeacherLabels(h.teacherId(), h.teacherSha256(), h.corpusSha256(), probs);
    }

    private record Header(String teacherId, String teacherSha256, String corpusSha256, int rows) {

        void write(DataOutputStream out) throws IOException {
            out.write(MAGIC);
            out.writeUTF(teacherId);
            out.writeUTF(teacherSha256);
            out.writeUTF(corpusSha256);
            out.writeInt(rows);
            out.writeInt(CLASSES);
        }

        long bytes() {
            return MAGIC.length + utfBytes(teacherId) + utfBytes(teacherSha256) + utfBytes(corpusSha256) + 8;
        }

        void requireSame(Path file, String teacher, String corpus, int expectedRows) {
            if (!teacherSha256.equals(teacher)) {
                throw new IllegalArgumentException("teacher labels " + file + " are from another teacher (" + teacherId
                        + ", manifest sha256 " + teacherSha256 + "), not " + teacher + ": delete the file or pass the teacher it was made with");
            }
            if (!corpusSha256.equals(corpus) || rows != expectedRows) {
                throw new IllegalArgumentException("teacher labels " + file + " are for another corpus (sha256 " + corpusSha256
                        + ", " + rows + " texts), not this one (" + corpus + ", " + expectedRows + " texts): other data,"
                        + " cleaning or limits");
            }
        }

        private static int utfBytes(String s) {
            return 2 + s.getBytes(StandardCharsets.UTF_8).length; // modified UTF-8 equals UTF-8 for these ASCII strings
        }
    }

    private static Header readHeader(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IllegalArgumentException(file + " is not a teacher-label file (no " + new String(MAGIC, StandardCharsets.US_ASCII) + ")");
            }
            Header h = new Header(in.readUTF(), in.readUTF(), in.readUTF(), in.readInt());
            int classes = in.readInt();
            if (classes != CLASSES) {
                throw new IllegalArgumentException(file + " has " + classes + " classes, not " + CLASSES);
            }
            return h;
        }
    }

    /**
     * The mean of several teachers' probabilities of the same corpus: an ensemble teacher, usually better than any
     * of its members, that the student learns as it would one teacher. Each member's labels stay their own file (a
     * teacher is run once, whatever ensembles it joins later). The ensemble is named by its members' ids joined with
     * {@code " + "} and identified by a sha256 over their sorted manifest sha256s, so a checkpoint distilled from one
     * ensemble is not resumed from another; one member is returned as it is.
     *
     * @throws IllegalArgumentException when the members label different corpora, or a teacher is given twice
     */
    public static TeacherLabels mean(List<TeacherLabels> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("no teacher labels to average");
        }
        if (members.size() == 1) {
            return members.get(0);
        }
        TeacherLabels first = members.get(0);
        List<String> shas = new ArrayList<>();
        float[] mean = new float[first.probabilities.length];
        for (TeacherLabels m : members) {
            if (!m.corpusSha256.equals(first.corpusSha256) || m.probabilities.length != mean.length) {
                throw new IllegalArgumentException("teacher labels of " + m.teacherId + " are for another corpus (sha256 "
                        + m.corpusSha256 + ", " + m.size() + " texts) than those of " + first.teacherId + " ("
                        + first.corpusSha256 + ", " + first.size() + " texts): they cannot be averaged");
            }
            if (shas.contains(m.teacherSha256)) {
                throw new IllegalArgumentException("teacher " + m.teacherId + " is given twice");
            }
            shas.add(m.teacherSha256);
            for (int i = 0; i < mean.length; i++) {
                mean[i] += m.probabilities[i] / members.size();
            }
        }
        shas.sort(null);
        String id = String.join(" + ", members.stream().map(TeacherLabels::teacherId).toList());
        return new TeacherLabels(id, ArtifactFiles.sha256(String.join(",", shas).getBytes(StandardCharsets.UTF_8)),
                first.corpusSha256, mean);
    }

    public int size() {
        return probabilities.length / CLASSES;
    }

    /** The teacher's probabilities of text {@code i}. */
    public float[] probabilities(int i) {
        return java.util.Arrays.copyOfRange(probabilities, i * CLASSES, (i + 1) * CLASSES);
    }

    public String teacherId() {
        return teacherId;
    }

    public String teacherSha256() {
        return teacherSha256;
    }

    public String corpusSha256() {
        return corpusSha256;
    }

    /** A teacher's identity for the file header: the sha256 of its manifest (what {@code EmotionModel} verified). */
    public static String manifestSha256(Path versionDir) {
        return ArtifactFiles.sha256(versionDir.resolve(ArtifactFiles.MANIFEST));
    }
}
