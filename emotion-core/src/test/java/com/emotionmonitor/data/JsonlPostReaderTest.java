package com.emotionmonitor.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlPostReaderTest {

    @TempDir Path dir;

    private Path write(String name, String content) throws IOException {
        return write(name, content.getBytes(StandardCharsets.UTF_8));
    }

    private Path write(String name, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content);
        return file;
    }

    @Test
    void readsNumericAndStringIdsAndOptionalLabels() throws IOException {
        Path file = write("posts.jsonl", """
                {"id": 1, "content": "气死了", "label": "angry"}
                {"id": "weibo-7", "content": "", "label": null}
                {"id": 12345678901234567890, "content": "好😂", "extra": [1, 2]}
                """);
        List<LabeledPost> posts = JsonlPostReader.readAll(file, OnError.FAIL).posts();
        assertEquals(List.of(
                new LabeledPost("1", "气死了", "angry", 1),
                new LabeledPost("weibo-7", "", null, 2),
                new LabeledPost("12345678901234567890", "好😂", null, 3)), posts);
    }

    @Test
    void readsGzipByContentAndToleratesBomCrLfBlankLinesAndNoFinalNewline() throws IOException {
        byte[] text = "\uFEFF{\"id\":1,\"content\":\"a\"}\r\n\n   \n{\"id\":2,\"content\":\"b\"}".getBytes(StandardCharsets.UTF_8);
        Path gz = dir.resolve("posts.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(text);
        }
        for (Path file : List.of(gz, write("plain.jsonl", text))) {
            List<LabeledPost> posts = JsonlPostReader.readAll(file, OnError.FAIL).posts();
            assertEquals(List.of("a", "b"), posts.stream().map(LabeledPost::content).toList(), file.toString());
            assertEquals(4, posts.get(1).lineNumber(), "line numbers count blank lines");
        }
    }

    @Test
    void failModeNamesFileAndLine() throws IOException {
        Path file = write("bad.jsonl", "{\"id\":1,\"content\":\"a\"}\n{\"id\":2,\"content\":\n");
        MalformedLineException e = assertThrows(MalformedLineException.class, () -> JsonlPostReader.readAll(file, OnError.FAIL));
        assertEquals(2, e.line().lineNumber());
        assertTrue(e.getMessage().startsWith(file + ":2: invalid JSON"), e.getMessage());
    }

    @Test
    void skipModeCountsAndRecordsEveryBadLine() throws IOException {
        Path file = write("mixed.jsonl", String.join("\n",
                "{\"id\":1,\"content\":\"ok\"}",
                "not json",
                "[1,2]",
                "{\"content\":\"no id\"}",
                "{\"id\":1.5,\"content\":\"x\"}",
                "{\"id\":\"\",\"content\":\"x\"}",
                "{\"id\":3}",
                "{\"id\":3,\"content\":7}",
                "{\"id\":3,\"content\":\"x\",\"label\":1}",
                "{\"id\":3,\"content\":\"x\"} trailing",
                "{\"id\":3,\"id\":4,\"content\":\"x\"}",
                "{\"id\":9,\"content\":\"also ok\"}"));
        JsonlPostReader.ReadResult result = JsonlPostReader.readAll(file, OnError.SKIP);
        assertEquals(List.of("1", "9"), result.posts().stream().map(LabeledPost::id).toList());
        assertEquals(10, result.skippedCount());
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L),
                result.skipped().stream().map(MalformedLine::lineNumber).toList());
        List<String> reasons = result.skipped().stream().map(MalformedLine::reason).toList();
        assertTrue(reasons.get(0).startsWith("invalid JSON"), reasons.get(0));
        assertEquals("expected a JSON object, got ARRAY", reasons.get(1));
        assertEquals("missing \"id\"", reasons.get(2));
        assertEquals("\"id\" must be an integer or a non-empty string, got 1.5", reasons.get(3));
        assertEquals("missing \"content\"", reasons.get(5));
        assertEquals("\"content\" must be a string, got NUMBER", reasons.get(6));
        assertEquals("\"label\" must be a string, got NUMBER", reasons.get(7));
        assertTrue(reasons.get(8).startsWith("invalid JSON"), reasons.get(8));
        assertTrue(reasons.get(9).contains("Duplicate field 'id'"), reasons.get(9));
        assertEquals(file + ":2: " + reasons.get(0), result.skipped().get(0).toString());
    }

    @Test
    void aSideCorpusWithoutIdsIsReadByLineNumberOnlyWhenAsked() throws IOException {
        Path file = write("side.jsonl", "{\"content\":\"a\",\"label\":\"anger\"}\n\n{\"id\":7,\"content\":\"b\"}\n"
                + "{\"content\":\"c\"}\n");
        List<LabeledPost> posts = JsonlPostReader.readAll(file, OnError.FAIL, JsonlPostReader.MissingId.LINE_NUMBER).posts();
        assertEquals(List.of(new LabeledPost("line-1", "a", "anger", 1), new LabeledPost("7", "b", null, 3),
                new LabeledPost("line-4", "c", null, 4)), posts);
        MalformedLineException e = assertThrows(MalformedLineException.class, () -> JsonlPostReader.readAll(file, OnError.FAIL));
        assertTrue(e.getMessage().endsWith(":1: missing \"id\""), e.getMessage());
    }

    @Test
    void invalidUtf8IsAMalformedLineNotAReplacementCharacter() throws IOException {
        byte[] bad = "{\"id\":1,\"content\":\"a\"}\n{\"id\":2,\"content\":\"\u00ff\"}\n".getBytes(StandardCharsets.ISO_8859_1);
        Path file = write("latin1.jsonl", bad);
        MalformedLineException e = assertThrows(MalformedLineException.class, () -> JsonlPostReader.readAll(file, OnError.FAIL));
        assertEquals(file + ":2: invalid UTF-8", e.getMessage());
        assertEquals(1, JsonlPostReader.readAll(file, OnError.SKIP).skippedCount());
    }

    @Test
    void keepsUnpairedSurrogatesAndControlCharactersFromEscapes() throws IOException {
        Path file = write("odd.jsonl", "{\"id\":1,\"content\":\"a\\ud800b\\u0000\\u0085\"}\n");
        assertEquals("a\ud800b\u0000\u0085", JsonlPostReader.readAll(file, OnError.FAIL).posts().get(0).content());
    }

    @Test
    void recordsOnlyTheFirstSkipsButCountsAll() throws IOException {
        Path file = write("garbage.jsonl", "x\n".repeat(JsonlPostReader.MAX_RECORDED_SKIPS + 5));
        JsonlPostReader.ReadResult result = JsonlPostReader.readAll(file, OnError.SKIP);
        assertEquals(JsonlPostReader.MAX_RECORDED_SKIPS + 5, result.skippedCount());
        assertEquals(JsonlPostReader.MAX_RECORDED_SKIPS, result.skipped().size());
    }

    @Test
    void aMissingFileOrADirectoryIsNamedWithTheReason() throws IOException {
        Path missing = dir.resolve("nope.jsonl");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> JsonlPostReader.open(missing, OnError.FAIL));
        assertEquals(missing + ": no such file", e.getMessage());
        FileSystemException d = assertThrows(FileSystemException.class, () -> JsonlPostReader.open(dir, OnError.FAIL));
        assertTrue(d.getMessage().startsWith(dir + ": is a directory"), d.getMessage());
    }

    @Test
    void anUnreadableFileIsNamedWithTheReason() throws IOException {
        Path file = write("secret.jsonl", "{}");
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("-w-------"));
        } catch (UnsupportedOperationException e) {
            Assumptions.abort("no POSIX permissions on this file system");
        }
        Assumptions.assumeFalse(Files.isReadable(file), "running as a user who reads everything (root)");
        AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> JsonlPostReader.open(file, OnError.FAIL));
        assertTrue(e.getMessage().contains("not readable"), e.getMessage());
    }

    @Test
    void corruptGzipNamesTheFile() throws IOException {
        Path file = write("broken.jsonl.gz", new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> JsonlPostReader.readAll(file, OnError.SKIP));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }

    @Test
    void streamsWithPositionAndProgress() throws IOException {
        Path file = write("two.jsonl", "{\"id\":1,\"content\":\"a\"}\n{\"id\":2,\"content\":\"b\"}\n");
        try (JsonlPostReader reader = JsonlPostReader.open(file, OnError.FAIL)) {
            assertEquals("1", reader.next().id());
            assertEquals("2", reader.next().id());
            assertNull(reader.next());
            assertNull(reader.next());
            assertEquals(2, reader.lineNumber());
            assertEquals(Files.size(file), reader.bytesRead());
            assertEquals(Files.size(file), reader.sizeBytes());
        }
    }
}
