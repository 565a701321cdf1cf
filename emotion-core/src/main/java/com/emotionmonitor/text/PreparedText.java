package com.emotionmonitor.text;

import java.util.List;

/**
 * A post ready for the model: the cleaned, truncated text, its #topics#, and its token ids.
 *
 * @param empty true when the model has nothing to read: cleaning left no text, or tokenization left no token but
 *     {@code [CLS]}, {@code [SEP]} and {@code [UNK]} (characters the tokenizer drops, such as U+FEFF, U+2060 and
 *     U+FFFD, or only words outside the vocabulary). A defined outcome, never an exception: the job and
 *     {@code classify} label such a post NEUTRAL by rule ({@code empty_text}) without running the model.
 */
public record PreparedText(String text, List<String> topics, Encoding encoding, boolean empty) {

    public boolean isEmpty() {
        return empty;
    }
}
