package com.emotionmonitor.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads posts from JSON Lines: one {@code {"id": 1 | "a1", "content": "...", "label": "happy"}} object per line,
 * UTF-8, plain or gzip-compressed (detected from the content, so {@code .jsonl} and {@code .jsonl.gz} both work).
 * {@code id} is a JSON integer or string, {@code content} a string, {@code label} an optional string (absent or null
 * means unlabelled); other fields are ignored. Blank lines are skipped. Side corpora without ids (the labelled files of
 * {@code ../shared/data/pretrain-extra}) are read with {@link MissingId#LINE_NUMBER}: a row without an id is given
 * {@code line-N}.
 *
 * <p>A malformed line (invalid UTF-8, invalid JSON, trailing data, duplicate keys, wrong or missing fields) either
 * stops reading with a {@link MalformedLineException} naming file and line ({@link OnError#FAIL}), or is skipped and
 * recorded ({@link OnError#SKIP}): {@link #skippedCount()} counts every one, {@link #skipped()} keeps the first
 * {@link #MAX_RECORDED_SKIPS} with their reasons. Nothing is dropped silently. Not thread-safe.
 */
public final class JsonlPostReader implements Closeable {

    /** How many skipped lines keep their details (all are counted). */
    public static final int MAX_RECORDED_SKIPS = 1000;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** What a row without an {@code id} is: malformed, or identified by its line number ({@code line-N}). */
    public enum MissingId { FAIL, LINE_NUMBER }

    private final Path file;
    private final OnError onError;
    private MissingId missingId = MissingId.FAIL;
    private final CountingInputStream counted;
    private final InputStream in;
    private final long sizeBytes;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    private final byte[] buffer = new byte[1 << 16];
    private int bufferPos;
    private int bufferLen;
    private byte[] line = new byte[1 << 12];
    private int lineLen;
    private boolean eof;

    private long lineNumber;
    private long skippedCount;
    private final List<MalformedLine> skipped = new ArrayList<>();

    private JsonlPostReader(Path file, OnError onError, InputStream raw, long sizeBytes) throws IOException {
        this.file = file;
        this.onError = onError;
        this.sizeBytes = sizeBytes;
        this.counted = new CountingInputStream(raw);
        BufferedInputStream buffered = new BufferedInputStream(counted, 1 << 16);
        this.in = isGzip(buffered) ? new GZIPInputStream(buffered, 1 << 16) : buffered;
    }

    /**
     * Opens {@code file}. A missing file, a directory or an unreadable file fail here with a
     * {@link FileSystemException} whose message names the path and the reason.
     */
    public static JsonlPostReader open(Path file, OnError onError) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        if (Files.isDirectory(file)) {
            throw new FileSystemException(file.toString(), null, "is a directory, expected a .jsonl or .jsonl.gz file");
        }
        if (!Files.isReadable(file)) {
            throw new AccessDeniedException(file.toString(), null, "not readable (permission denied)");
        }
        InputStream raw = Files.newInputStream(file);
        try {
            return new JsonlPostReader(file, onError, raw, Files.size(file));
        } catch (IOException e) {
            raw.close();
            throw new IOException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads a whole file into memory. */
    public static ReadResult readAll(Path file, OnError onError) throws IOException {
        return readAll(file, onError, MissingId.FAIL);
    }

    /** Reads a whole file into memory; {@code missingId} says what a row without an id is. */
    public static ReadResult readAll(Path file, OnError onError, MissingId missingId) throws IOException {
        try (JsonlPostReader reader = open(file, onError)) {
            reader.missingId = missingId;
            List<LabeledPost> posts = new ArrayList<>();
            for (LabeledPost p = reader.next(); p != null; p = reader.next()) {
                posts.add(p);
            }
            return new ReadResult(List.copyOf(posts), reader.skippedCount(), reader.skipped());
        }
    }

    /** All posts of a file plus what was skipped (under {@link OnError#SKIP}). */
    public record ReadResult(List<LabeledPost> posts, long skippedCount, List<MalformedLine> skipped) {}

    /** The next post, or null at the end of the file. */
    public LabeledPost next() throws IOException {
        while (readLine()) {
            lineNumber++;
            try {
                String text = decodeLine();
                if (text.isBlank()) {
                    continue;
                }
                return parse(text);
            } catch (InvalidLine e) {
                MalformedLine bad = new MalformedLine(file, lineNumber, e.getMessage());
                if (onError == OnError.FAIL) {
                    throw new MalformedLineException(bad);
                }
                skippedCount++;
                if (skipped.size() < MAX_RECORDED_SKIPS) {
                    skipped.add(bad);
                }
            }
        }
        return null;
    }

    public Path file() {
        return file;
    }

    /** Lines read so far (the 1-based number of the last line read). */
    public long lineNumber() {
        return lineNumber;
    }

    public long skippedCount() {
        return skippedCount;
    }

    /** The first {@link #MAX_RECORDED_SKIPS} skipped lines. */
    public List<MalformedLine> skipped() {
        return List.copyOf(skipped);
    }

    /** Bytes of the file consumed so far (compressed bytes for gzip), for progress reporting. */
    public long bytesRead() {
        return counted.count;
    }

    /** Size of the file on disk. */
    public long sizeBytes() {
        return sizeBytes;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private LabeledPost parse(String text) throws InvalidLine {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidLine("invalid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidLine("expected a JSON object, got " + (node == null ? "nothing" : node.getNodeType()));
        }
        JsonNode id = node.get("id");
        String idText;
        if ((id == null || id.isNull()) && missingId == MissingId.LINE_NUMBER) {
            idText = "line-" + lineNumber;
        } else if (id == null || id.isNull()) {
            throw new InvalidLine("missing \"id\"");
        } else if (id.isIntegralNumber()) {
            idText = id.asText();
        } else if (id.isTextual() && !id.asText().isEmpty()) {
            idText = id.asText();
        } else {
            throw new InvalidLine("\"id\" must be an integer or a non-empty string, got " + id);
        }
        JsonNode content = node.get("content");
        if (content == null || !content.isTextual()) {
            throw new InvalidLine(content == null ? "missing \"content\"" : "\"content\" must be a string, got " + content.getNodeType());
        }
        JsonNode label = node.get("label");
        String labelText = null;
        if (label != null && !label.isNull()) {
            if (!label.isTextual()) {
                throw new InvalidLine("\"label\" must be a string, got " + label.getNodeType());
            }
            labelText = label.asText();
        }
        return new LabeledPost(idText, content.asText(), labelText, lineNumber);
    }

    private String decodeLine() throws InvalidLine {
        int from = 0;
        if (lineNumber == 1 && lineLen >= 3 && Arrays.equals(line, 0, 3, UTF8_BOM, 0, 3)) {
            from = 3;
        }
        try {
            return utf8.decode(ByteBuffer.wrap(line, from, lineLen - from)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidLine("invalid UTF-8");
        }
    }

    /** Fills {@link #line} with the next line's bytes (without '\n'); false at the end of the file. */
    private boolean readLine() throws IOException {
        lineLen = 0;
        if (eof) {
            return false;
        }
        while (true) {
            if (bufferPos == bufferLen) {
                try {
                    bufferLen = in.read(buffer);
                } catch (IOException e) {
                    throw new IOException(file + ": read failed after line " + lineNumber + ": " + e.getMessage(), e);
                }
                bufferPos = 0;
                if (bufferLen <= 0) {
                    bufferLen = 0;
                    eof = true;
                    return lineLen > 0;
                }
            }
            int start = bufferPos;
            while (bufferPos < bufferLen && buffer[bufferPos] != '\n') {
                bufferPos++;
            }
            append(start, bufferPos);
            if (bufferPos < bufferLen) {
                bufferPos++; // the '\n'
                return true;
            }
        }
    }

    private void append(int from, int to) {
        int n = to - from;
        if (lineLen + n > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLen + n));
        }
        System.arraycopy(buffer, from, line, lineLen, n);
        lineLen += n;
    }

    private static boolean isGzip(BufferedInputStream in) throws IOException {
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b;
    }

    /** A line that is not a post; a checked exception without a stack trace (it is routine under SKIP). */
    private static final class InvalidLine extends Exception {
        InvalidLine(String reason) {
            super(reason, null, false, false);
        }
    }

    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
