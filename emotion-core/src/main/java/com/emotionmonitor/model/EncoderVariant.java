package com.emotionmonitor.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where the encoder normalises, named in every manifest's architecture ({@code architecture.variant}). Manifests
 * written before the field existed have none and are {@link #PRE_LN}, our own architecture.
 */
public enum EncoderVariant {

    /** Ours: {@code x + Attn(LN(x))}, {@code x + FFN(LN(x))}, a final LayerNorm; no LayerNorm on the embeddings. */
    PRE_LN("pre-ln"),

    /**
     * Google's and Hugging Face's BERT: LayerNorm on the embeddings, {@code LN(x + Attn(x))}, {@code LN(x + FFN(x))},
     * no final LayerNorm. What {@code model import-hf} brings in.
     */
    BERT_POST_LN("bert-post-ln");

    private final String id;

    EncoderVariant(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    /** @throws IllegalArgumentException naming the known variants */
    @JsonCreator
    public static EncoderVariant of(String id) {
        for (EncoderVariant v : values()) {
            if (v.id.equals(id)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown encoder variant '" + id + "': this build knows pre-ln and bert-post-ln");
    }

    /** Jackson's filter that leaves the default out of a manifest, so our versions read exactly as they always did. */
    public static final class DefaultFilter {
        @Override
        public boolean equals(Object value) {
            return value == null || value == PRE_LN;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }
}
