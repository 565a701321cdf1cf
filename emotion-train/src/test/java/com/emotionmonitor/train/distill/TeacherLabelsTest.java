package com.emotionmonitor.train.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.data.CannedPosts;
import com.emotionmonitor.model.Emotion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeacherLabelsTest {

    @Test
    void writtenOnceThenReadBackForTheSameTeacherAndCorpus(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("labels.bin");
        List<Long> progress = new ArrayList<>();
        TeacherLabels labels = TeacherLabels.loadOrCompute(file, ToyTeacher.teacher("sha-a"), ToyTeacher.TEXTS, progress::add);
        assertEquals(36, labels.size());
        assertArrayEquals(ToyTeacher.distribution(Emotion.fromLabel(CannedPosts.POSTS.get(7).label())), labels.probabilities(7));
        assertEquals(List.of(36L), progress);
        // Reused, not recomputed: a teacher that would fail is never asked.
        TeacherLabels again = TeacherLabels.loadOrCompute(file, new TeacherLabels.Teacher("toy/v1", "sha-a", batch -> {
            throw new AssertionError("recomputed");
        }, i -> null), ToyTeacher.TEXTS, n -> {});
        assertArrayEquals(labels.probabilities(35), again.probabilities(35));
    }

    @Test
    void aFileFromAnotherTeacherOrCorpusIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("labels.bin");
        TeacherLabels.loadOrCompute(file, ToyTeacher.teacher("sha-a"), ToyTeacher.TEXTS, n -> {});
        IllegalArgumentException otherTeacher = assertThrows(IllegalArgumentException.class,
                () -> TeacherLabels.loadOrCompute(file, ToyTeacher.teacher("sha-b"), ToyTeacher.TEXTS, n -> {}));
        assertTrue(otherTeacher.getMessage().contains("another teacher"), otherTeacher.getMessage());
        List<String> otherCorpus = new ArrayList<>(ToyTeacher.TEXTS);
        otherCorpus.set(0, otherCorpus.get(0) + "!");
        IllegalArgumentException corpus = assertThrows(IllegalArgumentException.class,
                () -> TeacherLabels.read(file, "sha-a", TeacherLabels.fingerprint(otherCorpus)));
        assertTrue(corpus.getMessage().contains("another corpus"), corpus.getMessage());
        Files.writeString(dir.resolve("junk.bin"), "not labels");
        assertThrows(IllegalArgumentException.class, () -> TeacherLabels.read(dir.resolve("junk.bin"), "sha-a", "x"));
    }

    @Test
    void anEnsembleTeacherIsTheMeanOfItsMembersAndNamedByThem(@TempDir Path dir) throws Exception {
        TeacherLabels a = TeacherLabels.loadOrCompute(dir.resolve("a.bin"), ToyTeacher.teacher("sha-a", 0.7f), ToyTeacher.TEXTS, n -> {});
        TeacherLabels b = TeacherLabels.loadOrCompute(dir.resolve("b.bin"), ToyTeacher.teacher("sha-b", 0.4f), ToyTeacher.TEXTS, n -> {});
        TeacherLabels mean = TeacherLabels.mean(List.of(a, b));
        Emotion gold = Emotion.fromLabel(CannedPosts.POSTS.get(3).label());
        assertArrayEquals(ToyTeacher.distribution(gold, 0.55f), mean.probabilities(3), 1e-6f);
        assertEquals("toy/v1 + toy/v1", mean.teacherId());
        assertEquals(a.corpusSha256(), mean.corpusSha256());
        // Identified by its members whatever their order, and never taken for one of them.
        assertEquals(mean.teacherSha256(), TeacherLabels.mean(List.of(b, a)).teacherSha256());
        assertTrue(!mean.teacherSha256().equals(a.teacherSha256()) && !mean.teacherSha256().equals(b.teacherSha256()));
        assertSame(a, TeacherLabels.mean(List.of(a)));

        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> TeacherLabels.mean(List.of(a, a)));
        assertTrue(twice.getMessage().contains("twice"), twice.getMessage());
        TeacherLabels shorter = TeacherLabels.loadOrCompute(dir.resolve("c.bin"), ToyTeacher.teacher("sha-c"),
                ToyTeacher.TEXTS.subList(0, 20), n -> {});
        IllegalArgumentException corpus = assertThrows(IllegalArgumentException.class, () -> TeacherLabels.mean(List.of(a, shorter)));
        assertTrue(corpus.getMessage().contains("another corpus"), corpus.getMessage());
    }

    @Test
    void anInterruptedLabellingContinuesWhereItStopped(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("labels.bin");
        TeacherLabels whole = TeacherLabels.loadOrCompute(dir.resolve("whole.bin"), ToyTeacher.teacher("sha-a"), ToyTeacher.TEXTS, n -> {});
        // A run killed after 10 rows and half of the 11th: the partial file holds the header and those bytes.
        TeacherLabels.loadOrCompute(dir.resolve("tmp.bin"), ToyTeacher.teacher("sha-a"), ToyTeacher.TEXTS.subList(0, 11), n -> {});
        byte[] tmp = Files.readAllBytes(dir.resolve("tmp.bin"));
        Path partial = dir.resolve("labels.bin.partial");
        // Same header as the full corpus's, then 10.5 rows.
        byte[] header = java.util.Arrays.copyOf(Files.readAllBytes(dir.resolve("whole.bin")), headerBytes(dir.resolve("whole.bin"), 36));
        byte[] rows = java.util.Arrays.copyOfRange(tmp, tmp.length - 11 * 24, tmp.length - 12);
        Files.write(partial, concat(header, rows));
        List<Long> progress = new ArrayList<>();
        TeacherLabels resumed = TeacherLabels.loadOrCompute(file, ToyTeacher.teacher("sha-a"), ToyTeacher.TEXTS, progress::add);
        assertEquals(List.of(36L), progress, "one chunk, from row 10 on");
        for (int i = 0; i < 36; i++) {
            assertArrayEquals(whole.probabilities(i), resumed.probabilities(i), "row " + i);
        }
        assertTrue(Files.notExists(partial));
    }

    private static int headerBytes(Path complete, int rows) throws Exception {
        return (int) (Files.size(complete) - rows * 24L);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
