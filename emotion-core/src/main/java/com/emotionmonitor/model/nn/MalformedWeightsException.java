package com.emotionmonitor.model.nn;

import java.io.IOException;

/**
 * A weight file that is there but does not fit the block it is loaded into (corrupted, another architecture, another
 * format version). An {@link IOException}, so that callers which read files anyway need no wrapping of their own; the
 * message always names the file.
 */
public final class MalformedWeightsException extends IOException {

    public MalformedWeightsException(String message) {
        super(message);
    }

    public MalformedWeightsException(String message, Throwable cause) {
        super(message, cause);
    }
}
