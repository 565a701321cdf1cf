package com.emotionmonitor.text;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The tokenizer a model version was trained with, named in its manifest ({@code tokenizer}); manifests written before
 * the field existed have none and are {@link #EMOTION_BERT_CHINESE}.
 */
public enum TokenizerVariant {

    /** Ours ({@link BertChineseTokenizer}): BERT-Chinese basic tokenization, plus one token per emoji or symbol. */
    EMOTION_BERT_CHINESE("emotion-bert-chinese"),

    /**
     * Hugging Face's {@code BertTokenizer} / {@code BertTokenizerFast} with {@code do_lower_case=True} (the default):
     * clean text, CJK split, strip accents, lower-case, split on whitespace and punctuation, WordPiece ({@link HfBertTokenizer}).
     */
    HF_BERT_BASIC("hf-bert-basic"),

    /** The same with {@code do_lower_case=False} (bert-base-chinese's own tokenizer_config.json): no lower-casing, no accent stripping. */
    HF_BERT_BASIC_CASED("hf-bert-basic-cased");

    private final String id;

    TokenizerVariant(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    /** @throws IllegalArgumentException naming the known variants */
    @JsonCreator
    public static TokenizerVariant of(String id) {
        for (TokenizerVariant v : values()) {
            if (v.id.equals(id)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown tokenizer '" + id + "': this build knows emotion-bert-chinese, hf-bert-basic"
                + " and hf-bert-basic-cased");
    }

    /** A tokenizer of this variant over {@code vocab}, capped at {@code maxTokens} including [CLS] and [SEP]. */
    public WordPieceTokenizer create(Vocabulary vocab, int maxTokens) {
        return switch (this) {
            case EMOTION_BERT_CHINESE -> new BertChineseTokenizer(vocab, maxTokens);
            case HF_BERT_BASIC -> new HfBertTokenizer(vocab, maxTokens, true);
            case HF_BERT_BASIC_CASED -> new HfBertTokenizer(vocab, maxTokens, false);
        };
    }

    /** Jackson's filter that leaves the default out of a manifest, so our versions read exactly as they always did. */
    public static final class DefaultFilter {
        @Override
        public boolean equals(Object value) {
            return value == null || value == EMOTION_BERT_CHINESE;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }
}
