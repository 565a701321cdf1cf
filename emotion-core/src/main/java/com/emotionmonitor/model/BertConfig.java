package com.emotionmonitor.model;

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
 */
public record BertConfig(
        int vocabSize,
        int hiddenSize,
        int layers,
        int heads,
        int intermediateSize,
        int maxPositions,
        int typeVocabSize,
        float dropout) {

    public BertConfig {
        if (vocabSize < 6 || hiddenSize < 1 || layers < 1 || heads < 1 || maxPositions < 3) {
            throw new IllegalArgumentException("invalid BERT config: " + this);
        }
        if (hiddenSize % heads != 0) {
            throw new IllegalArgumentException("hidden size " + hiddenSize + " is not divisible by " + heads + " heads");
        }
    }

    /** A BERT of the given depth and width with BERT's usual ratios (FFN 4H, head size 64 or H/4). */
    public static BertConfig of(int vocabSize, int layers, int hiddenSize, int heads) {
        return new BertConfig(vocabSize, hiddenSize, layers, heads, 4 * hiddenSize, 142, 2, 0.1f);
    }

    public BertConfig withVocabSize(int size) {
        return new BertConfig(size, hiddenSize, layers, heads, intermediateSize, maxPositions, typeVocabSize, dropout);
    }

    public BertConfig withDropout(float p) {
        return new BertConfig(vocabSize, hiddenSize, layers, heads, intermediateSize, maxPositions, typeVocabSize, p);
    }

    /** A short name for tables and logs, e.g. {@code L4-H256-A4}. */
    public String shortName() {
        return "L" + layers + "-H" + hiddenSize + "-A" + heads;
    }
}
