package com.emotionmonitor.train;

import com.emotionmonitor.text.BertChineseTokenizer;
import java.util.List;

/** Token ids of every corpus text, held compactly, with the lengths the batcher plans by. */
public final class TokenizedCorpus {

    private final int[][] ids;
    private final int[] lengths;
    private final long totalTokens;

    private TokenizedCorpus(int[][] ids) {
        this.ids = ids;
        this.lengths = new int[ids.length];
        long total = 0;
        for (int i = 0; i < ids.length; i++) {
            lengths[i] = ids[i].length;
            total += ids[i].length;
        }
        this.totalTokens = total;
    }

    public static TokenizedCorpus of(List<String> texts, com.emotionmonitor.text.WordPieceTokenizer tokenizer) {
        int[][] ids = new int[texts.size()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tokenizer.encode(texts.get(i)).ids();
        }
        return new TokenizedCorpus(ids);
    }

    public static TokenizedCorpus ofIds(int[][] ids) {
        return new TokenizedCorpus(ids);
    }

    public int size() {
        return ids.length;
    }

    public int[] lengths() {
        return lengths;
    }

    public long totalTokens() {
        return totalTokens;
    }

    public double meanLength() {
        return ids.length == 0 ? 0 : (double) totalTokens / ids.length;
    }

    public int[][] sequences(int[] indices) {
        int[][] out = new int[indices.length][];
        for (int i = 0; i < indices.length; i++) {
            out[i] = ids[indices[i]];
        }
        return out;
    }

    /** Real (unpadded) tokens in a batch. */
    public long realTokens(int[] indices) {
        long n = 0;
        for (int i : indices) {
            n += lengths[i];
        }
        return n;
    }
}
