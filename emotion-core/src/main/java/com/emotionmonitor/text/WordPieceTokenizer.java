package com.emotionmonitor.text;

import java.util.List;

/**
 * Text to {@code [CLS] ... [SEP]} ids over a BERT vocabulary, greedy longest-match WordPiece underneath. Which
 * implementation a model version is served with is its manifest's {@link TokenizerVariant}: the ids a model sees
 * must be the ids it was trained on. Implementations are thread-safe; output is unpadded.
 */
public interface WordPieceTokenizer {

    /** Ids framed by [CLS] and [SEP], at most {@link #maxTokens()} of them. Null reads as empty. */
    Encoding encode(String text);

    /** The word pieces as strings, without [CLS]/[SEP] and without the length cap (for tests and tools). */
    List<String> tokenize(String text);

    Vocabulary vocabulary();

    /** The cap including [CLS] and [SEP]. */
    int maxTokens();

    /** Which tokenizer this is, as its manifest names it. */
    TokenizerVariant variant();
}
