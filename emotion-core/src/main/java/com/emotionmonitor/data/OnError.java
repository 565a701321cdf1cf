package com.emotionmonitor.data;

/** What a reader does with a malformed line. */
public enum OnError {
    /** Stop at the first malformed line with a {@link MalformedLineException} naming file and line. */
    FAIL,
    /** Skip it, and record it ({@link JsonlPostReader#skippedCount()}, {@link JsonlPostReader#skipped()}). */
    SKIP
}
