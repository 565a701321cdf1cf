package com.emotionmonitor.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a character-level BERT vocabulary from a corpus of cleaned texts: the five specials, every
 * character seen at least {@code minCharCount} times (CJK, punctuation, emoji and other symbols,
 * Latin letters, digits), a {@code ##} continuation piece for every character seen inside a word, and
 * the most frequent whole Latin/digit words. A word made of known characters therefore never becomes
 * [UNK]; frequent words cost one token instead of several.
 */
public final class VocabularyBuilder {

    /** Symbols (emoji) are rare but carry emotion: they need fewer sightings to be kept. */
    private static final int MIN_SYMBOL_COUNT = 2;
    private static final int MAX_WORD_LENGTH = 16;
    /** Prune rare words when the map grows past this, so a huge corpus runs in bounded memory. */
    private static final int MAX_TRACKED_WORDS = 2_000_000;

    private final Map<Integer, Long> charCounts = new HashMap<>();
    private final Map<Integer, Long> continuationCounts = new HashMap<>();
    private final Map<String, Long> wordCounts = new HashMap<>();
    private long texts;

    /** Counts one cleaned text (the same text the tokenizer will see). */
    public void add(String text) {
        if (text == null) {
            return;
        }
        texts++;
        int len = text.length();
        int wordStart = -1;
        for (int i = 0; i < len; ) {
            int cp = text.codePointAt(i);
            BertChineseTokenizer.CharKind kind = BertChineseTokenizer.kindOf(cp);
            if (kind == BertChineseTokenizer.CharKind.WORD) {
                if (wordStart < 0) {
                    wordStart = i;
                }
            } else {
                if (wordStart >= 0) {
                    addWord(text.substring(wordStart, i));
                    wordStart = -1;
                }
                if (kind == BertChineseTokenizer.CharKind.SINGLE) {
                    charCounts.merge(Character.toLowerCase(cp), 1L, Long::sum);
                }
            }
            i += Character.charCount(cp);
        }
        if (wordStart >= 0) {
            addWord(text.substring(wordStart));
        }
    }

    private void addWord(String raw) {
        String w = BertChineseTokenizer.normalizeWord(raw);
        boolean first = true;
        for (int i = 0; i < w.length(); ) {
            int cp = w.codePointAt(i);
            (first ? charCounts : continuationCounts).merge(cp, 1L, Long::sum);
            first = false;
            i += Character.charCount(cp);
        }
        if (w.codePointCount(0, w.length()) > 1 && w.length() <= MAX_WORD_LENGTH) {
            wordCounts.merge(w, 1L, Long::sum);
            if (wordCounts.size() > MAX_TRACKED_WORDS) {
                wordCounts.values().removeIf(c -> c <= 1);
            }
        }
    }

    public long textCount() {
        return texts;
    }

    /**
     * @param minCharCount a character needs this many sightings (symbols need only 2)
     * @param minWordCount a multi-character word needs this many sightings
     * @param maxWords at most this many whole words, most frequent first
     */
    public Vocabulary build(int minCharCount, int minWordCount, int maxWords) {
        java.util.LinkedHashSet<String> tokens = new java.util.LinkedHashSet<>(Vocabulary.SPECIALS);
        for (Map.Entry<Integer, Long> e : sortedByCount(charCounts)) {
            if (e.getValue() >= minCountFor(e.getKey(), minCharCount)) {
                tokens.add(new String(Character.toChars(e.getKey())));
            }
        }
        for (Map.Entry<Integer, Long> e : sortedByCount(continuationCounts)) {
            if (e.getValue() >= minCharCount) {
                tokens.add("##" + new String(Character.toChars(e.getKey())));
            }
        }
        List<Map.Entry<String, Long>> words = new ArrayList<>(wordCounts.entrySet());
        words.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        int added = 0;
        for (Map.Entry<String, Long> e : words) {
            if (added >= maxWords || e.getValue() < minWordCount) {
                break;
            }
            if (tokens.add(e.getKey())) {
                added++;
            }
        }
        return Vocabulary.of(new ArrayList<>(tokens));
    }

    private static int minCountFor(int cp, int minCharCount) {
        int type = Character.getType(cp);
        boolean symbol = type == Character.OTHER_SYMBOL || type == Character.MODIFIER_SYMBOL;
        return symbol ? Math.min(MIN_SYMBOL_COUNT, minCharCount) : minCharCount;
    }

    private static List<Map.Entry<Integer, Long>> sortedByCount(Map<Integer, Long> counts) {
        List<Map.Entry<Integer, Long>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.<Integer, Long>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        return entries;
    }
}
