package com.emotionmonitor.text;

import java.util.Objects;

/**
 * Cuts text to a number of code points (what a reader calls characters), never between the two halves of a
 * surrogate pair, so an emoji is kept or dropped whole. An unpaired surrogate counts as one code point, as in
 * {@link String#codePointCount}.
 */
public final class CodePointTruncator {

    private CodePointTruncator() {}

    /** The first {@code maxCodePoints} code points of {@code text} (the same string when it is no longer). */
    public static String truncate(String text, int maxCodePoints) {
        Objects.requireNonNull(text, "text");
        if (maxCodePoints < 0) {
            throw new IllegalArgumentException("maxCodePoints must be >= 0: " + maxCodePoints);
        }
        if (text.length() <= maxCodePoints) {
            return text; // a code point is at least one char
        }
        int end = 0;
        for (int count = 0; count < maxCodePoints && end < text.length(); count++) {
            end += Character.isHighSurrogate(text.charAt(end))
                    && end + 1 < text.length() && Character.isLowSurrogate(text.charAt(end + 1)) ? 2 : 1;
        }
        return end == text.length() ? text : text.substring(0, end);
    }
}
