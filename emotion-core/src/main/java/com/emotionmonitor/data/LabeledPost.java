package com.emotionmonitor.data;

import java.util.Objects;

/**
 * One row of a JSON Lines post file ({@code {"id", "content", "label"}}).
 *
 * @param id the row's id as text (JSON numbers are kept in their decimal form)
 * @param content the post text, never null (may be empty)
 * @param label the label, or null when the row has none
 * @param lineNumber 1-based line in the source file, for error messages
 */
public record LabeledPost(String id, String content, String label, long lineNumber) {

    public LabeledPost {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(content, "content");
    }

    public LabeledPost withContent(String newContent) {
        return new LabeledPost(id, newContent, label, lineNumber);
    }
}
