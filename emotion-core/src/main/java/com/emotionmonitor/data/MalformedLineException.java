package com.emotionmonitor.data;

import java.io.IOException;

/** A malformed line under {@link OnError#FAIL}; the message names the file and the 1-based line. */
public final class MalformedLineException extends IOException {

    private final transient MalformedLine line;

    public MalformedLineException(MalformedLine line) {
        super(line.toString());
        this.line = line;
    }

    public MalformedLine line() {
        return line;
    }
}
