package com.emotionmonitor.data;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * Writes posts as JSON Lines in the format {@link JsonlPostReader} reads: {@code {"id":..,"content":..,"label":..}},
 * UTF-8 (non-ASCII and emoji unescaped; unpaired surrogates escaped as <code>&#92;uD800</code>), {@code label} omitted when null, gzip
 * when the name ends in {@code .gz}. An id in canonical integer form ({@code 12}, {@code -3}, not {@code 012}) is
 * written as a JSON number, any other as a string.
 *
 * <p>Writes to a temporary file next to the target and moves it into place on {@link #commit()}: a failed run never
 * leaves a half-written file behind. {@link #close()} without {@code commit()} discards the output. Not thread-safe.
 */
public final class JsonlPostWriter implements Closeable {

    // Emoji as UTF-8, like the source files. Jackson's combining mode mis-pairs an unpaired high surrogate with the
    // next character, so strings that hold one are written escaped by hand instead (writeTextField).
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();
    private static final Pattern CANONICAL_INTEGER = Pattern.compile("-?(0|[1-9][0-9]*)");

    private final Path target;
    private final Path temp;
    private final JsonGenerator json;
    private boolean committed;
    private boolean closed;
    private long written;

    private JsonlPostWriter(Path target, Path temp, JsonGenerator json) {
        this.target = target;
        this.temp = temp;
        this.json = json;
    }

    /** Opens a writer for {@code target}; its directory must exist. */
    public static JsonlPostWriter create(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new NoSuchFileException(target.toString(), null, "output directory does not exist");
        }
        if (Files.isDirectory(absolute)) {
            throw new FileSystemException(target.toString(), null, "is a directory, expected a file name");
        }
        // Same directory, so the final move is atomic; CREATE_NEW keeps the usual umask permissions.
        Path temp = dir.resolve("." + absolute.getFileName() + "." + ProcessHandle.current().pid() + "."
                + System.nanoTime() + ".tmp");
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW), 1 << 16);
        if (absolute.getFileName().toString().endsWith(".gz")) {
            out = new GZIPOutputStream(out, 1 << 16);
        }
        JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8);
        json.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
        return new JsonlPostWriter(absolute, temp, json);
    }

    public void write(LabeledPost post) throws IOException {
        json.writeStartObject();
        if (CANONICAL_INTEGER.matcher(post.id()).matches()) {
            json.writeFieldName("id");
            json.writeNumber(new BigInteger(post.id()));
        } else {
            writeTextField("id", post.id());
        }
        writeTextField("content", post.content());
        if (post.label() != null) {
            writeTextField("label", post.label());
        }
        json.writeEndObject();
        written++;
    }

    private void writeTextField(String name, String value) throws IOException {
        json.writeFieldName(name);
        if (!hasUnpairedSurrogate(value)) {
            json.writeString(value);
            return;
        }
        StringBuilder literal = new StringBuilder(value.length() + 16).append('"');
        char[] quoted = JsonStringEncoder.getInstance().quoteAsString(value);
        for (int i = 0; i < quoted.length; i++) {
            char c = quoted[i];
            boolean paired = Character.isHighSurrogate(c) ? i + 1 < quoted.length && Character.isLowSurrogate(quoted[i + 1])
                    : Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(quoted[i - 1]);
            if (Character.isSurrogate(c) && !paired) {
                literal.append(String.format("\\u%04X", (int) c));
            } else {
                literal.append(c);
            }
        }
        json.writeRawValue(literal.append('"').toString());
    }

    private static boolean hasUnpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    public long written() {
        return written;
    }

    /** Finishes the file and moves it to the target path (replacing an existing file). */
    public void commit() throws IOException {
        if (written > 0) {
            json.writeRaw('\n');
        }
        json.close();
        closed = true;
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            json.close();
        }
        if (!committed) {
            Files.deleteIfExists(temp);
        }
    }
}
