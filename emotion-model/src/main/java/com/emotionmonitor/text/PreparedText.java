package com.emotionmonitor.text;

import java.util.List;

/**
 * A post ready for the model: the cleaned, truncated text, its #topics#, and its token ids. An empty
 * text (null, whitespace, URL-only, mention-only posts) is a defined outcome, never an exception.
 */
public record PreparedText(String text, List<String> topics, Encoding encoding) {

    public boolean isEmpty() {
        return text.isEmpty();
    }
}
