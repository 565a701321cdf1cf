package com.emotionmonitor.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Architecture hyper-parameters of the emotion BERT. Serialised into every manifest, so a version
 * always says exactly what it is.
 *
 * @param vocabSize token vocabulary size (rows of the embedding table, tied with the MLM decoder)
 * @param hiddenSize H, the width of every token state
 * @param layers L, the number of transformer layers
 * @param heads A, attention heads per layer (must divide H)
 * @param intermediateSize the feed-forward width (4H in BERT)
 * @param maxPositions learned position embeddings; 142 = 140 characters + [CLS] + [SEP]
 * @param typeVocabSize segment embeddings (2, as in BERT; we only ever use segment 0)
 * @param dropout hidden and attention dropout during training
 * @param variant where the layers normalise (absent in manifests written before the field: pre-LN, ours)
 * @param layerNormEps epsilon of every LayerNorm (absent: 1e-5, DJL's default, which our pre-LN versions were
 *     trained with; Hugging Face BERT checkpoints use 1e-12)
 * @param hiddenAct the post-LN feed-forward activation (absent: the exact GELU; TensorFlow BERT checkpoints: the tanh
 *     approximation)
 */
public record BertConfig(
        int vocabSize,
        int hiddenSize,
        int layers,
        int heads,
        int intermediateSize,
        int maxPositions,
        int typeVocabSize,
        float dropout,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = EncoderVariant.DefaultFilter.class)
        EncoderVariant variant,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = DefaultEpsFilter.class)
        float layerNormEps,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = HiddenActivation.DefaultFilter.class)
        HiddenActivation hiddenAct) {

    /** DJL's LayerNorm default, what every pre-LN version was trained with. */
    public static final float DEFAULT_LAYER_NORM_EPS = 1e-5f;

    public BertConfig {
        if (variant == null) {
            variant = EncoderVariant.PRE_LN;
        }
        if (layerNormEps == 0f) {
            layerNormEps = DEFAULT_LAYER_NORM_EPS;
        }
        if (hiddenAct == null) {
            hiddenAct = HiddenActivation.GELU;
        }
        if (vocabSize < 6 || hiddenSize < 1 || layers < 1 || heads < 1 || maxPositions < 3 || intermediateSize < 1
                || typeVocabSize < 1 || layerNormEps < 0 || Float.isNaN(layerNormEps)) {
            throw new IllegalArgumentException("invalid BERT config: " + vocabSize + " tokens, L" + layers + "-H" + hiddenSize
                    + "-A" + heads + ", FFN " + intermediateSize + ", " + maxPositions + " positions, " + typeVocabSize
                    + " segments, LayerNorm eps " + layerNormEps);
        }
        if (hiddenAct != HiddenActivation.GELU && variant == EncoderVariant.PRE_LN) {
            throw new IllegalArgumentException("hidden activation " + hiddenAct.id() + " is for post-LN (imported) encoders only");
        }
        if (hiddenSize % heads != 0) {
            throw new IllegalArgumentException("hidden size " + hiddenSize + " is not divisible by " + heads + " heads");
        }
    }

    /** Our pre-LN architecture (every version published before post-LN imports). */
    public BertConfig(int vocabSize, int hiddenSize, int layers, int heads, int intermediateSize, int maxPositions,
            int typeVocabSize, float dropout) {
        this(vocabSize, hiddenSize, layers, heads, intermediateSize, maxPositions, typeVocabSize, dropout,
                EncoderVariant.PRE_LN, DEFAULT_LAYER_NORM_EPS, HiddenActivation.GELU);
    }

    /** Without an activation: the exact GELU. */
    public BertConfig(int vocabSize, int hiddenSize, int layers, int heads, int intermediateSize, int maxPositions,
            int typeVocabSize, float dropout, EncoderVariant variant, float layerNormEps) {
        this(vocabSize, hiddenSize, layers, heads, intermediateSize, maxPositions, typeVocabSize, dropout, variant,
                layerNormEps, HiddenActivation.GELU);
    }

    /** Jackson's filter that leaves the default epsilon out of a manifest (see {@link EncoderVariant.DefaultFilter}). */
    public static final class DefaultEpsFilter {
        @Override
        public boolean equals(Object value) {
            return value instanceof Float f && f == DEFAULT_LAYER_NORM_EPS;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    /** A BERT of the given depth and width with BERT's usual ratios (FFN 4H, head size 64 or H/4). */
    public static BertConfig of(int vocabSize, int layers, int hiddenSize, int heads) {
        return new BertConfig(vocabSize, hiddenSize, layers, heads, 4 * hiddenSize, 142, 2, 0.1f);
    }

    /**
     * Google's BERT shape with Hugging Face's defaults (post-LN, FFN 4H, 512 positions, LayerNorm eps 1e-12), e.g.
     * bert-base-chinese: {@code bert(21128, 12, 768, 12)}.
     */
    public static BertConfig bert(int vocabSize, int layers, int hiddenSize, int heads) {
        return new BertConfig(vocabSize, hiddenSize, layers, heads, 4 * hiddenSize, 512, 2, 0.1f, EncoderVariant.BERT_POST_LN,
                1e-12f);
    }

    public BertConfig withVocabSize(int size) {
        return new BertConfig(size, hiddenSize, layers, heads, intermediateSize, maxPositions, typeVocabSize, dropout, variant,
                layerNormEps, hiddenAct);
    }

    /** The same BERT with {@code n} layers (a student cut from the lower layers of a deeper one). */
    public BertConfig withLayers(int n) {
        return new BertConfig(vocabSize, hiddenSize, n, heads, intermediateSize, maxPositions, typeVocabSize, dropout, variant,
                layerNormEps, hiddenAct);
    }

    public BertConfig withDropout(float p) {
        return new BertConfig(vocabSize, hiddenSize, layers, heads, intermediateSize, maxPositions, typeVocabSize, p, variant,
                layerNormEps, hiddenAct);
    }

    /** A short name for tables and logs, e.g. {@code L4-H256-A4}, or {@code L12-H768-A12-post-ln} for imported BERTs. */
    public String shortName() {
        return "L" + layers + "-H" + hiddenSize + "-A" + heads + (variant == EncoderVariant.PRE_LN ? "" : "-" + variant.id());
    }
}
