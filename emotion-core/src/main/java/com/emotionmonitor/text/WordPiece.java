package com.emotionmonitor.text;

import java.util.function.ToIntFunction;

/**
 * What both WordPiece tokenizers share ({@link BertChineseTokenizer}, {@link HfBertTokenizer}): BERT's greedy
 * longest-match-first split of one word, and the capped {@code [CLS] ... [SEP]} frame the ids are collected into.
 * They differ in how text becomes words and in how a token listed twice in vocab.txt is looked up.
 */
final class WordPiece {

    /** BERT's limit for one word before it becomes [UNK]. */
    static final int MAX_WORD_CHARS = 100;
    static final String CONTINUATION = "##";

    private WordPiece() {}

    /** Receives ids; returns false when it wants no more. */
    interface Sink {
        boolean accept(int id);
    }

    /**
     * Greedy longest-match-first WordPiece; a word with any unmatchable rest is one [UNK].
     *
     * @param idOf the vocabulary's lookup (-1 when absent)
     * @return false when the sink wanted no more
     */
    static boolean split(String w, ToIntFunction<String> idOf, int unkId, Sink sink) {
        int cps = w.codePointCount(0, w.length());
        if (cps > MAX_WORD_CHARS) {
            return sink.accept(unkId);
        }
        int whole = idOf.applyAsInt(w);
        if (whole >= 0) {
            return sink.accept(whole);
        }
        int[] pieces = new int[cps];
        int n = 0;
        int start = 0;
        while (start < w.length()) {
            int end = w.length();
            int found = -1;
            while (start < end) {
                String sub = w.substring(start, end);
                int id = idOf.applyAsInt(start > 0 ? CONTINUATION + sub : sub);
                if (id >= 0) {
                    found = id;
                    break;
                }
                end = w.offsetByCodePoints(end, -1);
            }
            if (found < 0) {
                return sink.accept(unkId);
            }
            pieces[n++] = found;
            start = end;
        }
        for (int k = 0; k < n; k++) {
            if (!sink.accept(pieces[k])) {
                return false;
            }
        }
        return true;
    }

    /** Collects ids after a [CLS] until {@code maxTokens - 2} are in, then refuses more; {@link #close} adds [SEP]. */
    static final class Frame implements Sink {
        private final int[] ids;
        private final int capacity;
        private int count;

        Frame(int maxTokens, int clsId) {
            this.capacity = maxTokens - 2;
            this.ids = new int[maxTokens];
            ids[0] = clsId;
        }

        @Override
        public boolean accept(int id) {
            if (count >= capacity) {
                return false;
            }
            ids[1 + count++] = id;
            return true;
        }

        Encoding close(int sepId) {
            int n = count + 1;
            ids[n] = sepId;
            int[] out = new int[n + 1];
            System.arraycopy(ids, 0, out, 0, n + 1);
            return new Encoding(out);
        }
    }
}
