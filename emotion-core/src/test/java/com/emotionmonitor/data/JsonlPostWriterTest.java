package com.emotionmonitor.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlPostWriterTest {

    @TempDir Path dir;

    private static final List<LabeledPost> POSTS = List.of(
            new LabeledPost("1", "气死了😂", "angry", 1),
            new LabeledPost("007", "lead zero id", null, 2),
            new LabeledPost("a-1", "odd \ud800b \ude00 \ud83d\"quoted\"\n😂", "happy", 3));

    @Test
    void roundTripsThroughTheReaderPlainAndGzip() throws IOException {
        for (String name : List.of("out.jsonl", "out.jsonl.gz")) {
            Path file = dir.resolve(name);
            try (JsonlPostWriter writer = JsonlPostWriter.create(file)) {
                for (LabeledPost p : POSTS) {
                    writer.write(p);
                }
                writer.commit();
            }
            List<LabeledPost> back = JsonlPostReader.readAll(file, OnError.FAIL).posts();
            assertEquals(POSTS, back, name);
        }
    }

    @Test
    void writesCanonicalIntegerIdsAsNumbersAndNonAsciiUnescaped() throws IOException {
        Path file = dir.resolve("out.jsonl");
        try (JsonlPostWriter writer = JsonlPostWriter.create(file)) {
            writer.write(POSTS.get(0));
            writer.write(POSTS.get(1));
            writer.commit();
        }
        assertEquals("{\"id\":1,\"content\":\"气死了😂\",\"label\":\"angry\"}\n{\"id\":\"007\",\"content\":\"lead zero id\"}\n",
                Files.readString(file, StandardCharsets.UTF_8));
    }

    @Test
    void escapesUnpairedSurrogatesAndKeepsPairsWhole() throws IOException {
        Path file = dir.resolve("out.jsonl");
        try (JsonlPostWriter writer = JsonlPostWriter.create(file)) {
            writer.write(POSTS.get(2));
            writer.commit();
        }
        assertEquals("{\"id\":\"a-1\",\"content\":\"odd \\uD800b \\uDE00 \\uD83D\\\"quoted\\\"\\n😂\",\"label\":\"happy\"}\n",
                Files.readString(file, StandardCharsets.UTF_8));
    }

    @Test
    void leavesNothingBehindWithoutCommit() throws IOException {
        Path file = dir.resolve("out.jsonl");
        Files.writeString(file, "previous");
        try (JsonlPostWriter writer = JsonlPostWriter.create(file)) {
            writer.write(POSTS.get(0));
        }
        assertEquals("previous", Files.readString(file));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left");
        }
    }

    @Test
    void aMissingOutputDirectoryIsNamed() {
        Path file = dir.resolve("missing/out.jsonl");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> JsonlPostWriter.create(file));
        assertEquals(file + ": output directory does not exist", e.getMessage());
        assertFalse(Files.exists(file));
    }
}
