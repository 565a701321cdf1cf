package com.emotionmonitor.data;

import java.nio.file.Path;

/** A line that is not a valid post: where it is and why. */
public record MalformedLine(Path file, long lineNumber, String reason) {

    @Override
    public String toString() {
        return file + ":" + lineNumber + ": " + reason;
    }
}
