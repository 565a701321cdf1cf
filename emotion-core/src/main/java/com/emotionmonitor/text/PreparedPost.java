package com.emotionmonitor.text;

import java.util.List;
import java.util.Objects;

/**
 * A post after {@link PostPreprocessor}: the cleaned text truncated to the model's length, and its {@code #topics#}
 * (found in the full cleaned text, before truncation).
 *
 * @param text cleaned and truncated; {@code ""} when nothing is left to classify
 * @param topics normalised topics, de-duplicated, first-seen order; never null
 */
public record PreparedPost(String text, List<String> topics) {

    static final PreparedPost EMPTY = new PreparedPost("", List.of());

    public PreparedPost {
        Objects.requireNonNull(text, "text");
        topics = List.copyOf(topics);
    }

    /**
     * True when cleaning left nothing (null, empty, whitespace-only, URL-only or mention-only posts ...). A defined
     * outcome, not an error: the job labels such posts explicitly and never drops them.
     */
    public boolean isEmpty() {
        return text.isEmpty();
    }
}
