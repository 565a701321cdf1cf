package com.emotionmonitor.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A vocabulary laid out like bert-base-chinese's {@code vocab.txt}, built from a corpus, for tests and benchmarks
 * where the real file (not on Maven Central) is not at hand: [PAD], [unused1..99], [UNK], [CLS], [SEP], [MASK],
 * {@code <S>}, {@code <T>}, the lower-case printable ASCII characters, then the corpus's other characters seen at
 * least twice by frequency (CJK, punctuation, emoji: a character seen once stays [UNK], as rare ones do with the real
 * file), its frequent Latin/digit words and their {@code ##} pieces, {@code ##} continuations of characters, and
 * unseen CJK ideographs to fill the requested size (21,128 for bert-base-chinese).
 */
public final class BertChineseLayoutVocabulary {

    /** bert-base-chinese's vocabulary size. */
    public static final int BERT_BASE_CHINESE_SIZE = 21_128;
    private static final int MIN_COUNT = 2;

    private BertChineseLayoutVocabulary() {}

    public static Vocabulary build(Iterable<String> texts, int size) {
        Map<Integer, Long> chars = new HashMap<>();
        Map<String, Long> words = new HashMap<>();
        HfBertTokenizer normalizer = new HfBertTokenizer(Vocabulary.of(Vocabulary.SPECIALS), 3, true);
        for (String t : texts) {
            String n = normalizer.normalize(t == null ? "" : t);
            StringBuilder word = new StringBuilder();
            for (int i = 0; i <= n.length(); ) {
                int cp = i < n.length() ? n.codePointAt(i) : ' ';
                i += i < n.length() ? Character.charCount(cp) : 1;
                chars.merge(cp, 1L, Long::sum);
                if (cp < 128 && Character.isLetterOrDigit(cp)) {
                    word.appendCodePoint(cp);
                } else if (word.length() > 0) {
                    words.merge(word.toString(), 1L, Long::sum);
                    word.setLength(0);
                }
            }
        }
        Set<String> out = new LinkedHashSet<>();
        out.add(Vocabulary.PAD);
        for (int i = 1; i <= 99; i++) {
            out.add("[unused" + i + "]");
        }
        out.addAll(List.of(Vocabulary.UNK, Vocabulary.CLS, Vocabulary.SEP, Vocabulary.MASK, "<S>", "<T>"));
        for (int c = 33; c < 127; c++) {
            if (c < 'A' || c > 'Z') {
                out.add(String.valueOf((char) c));
            }
        }
        Comparator<Map.Entry<Integer, Long>> byCount = Map.Entry.<Integer, Long>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey());
        List<Integer> frequentChars = new ArrayList<>();
        chars.entrySet().stream().filter(e -> e.getValue() >= MIN_COUNT && !HfBertTokenizer.isWhitespace(e.getKey()))
                .sorted(byCount).forEach(e -> frequentChars.add(e.getKey()));
        for (int cp : frequentChars) {
            add(out, new String(Character.toChars(cp)), size);
        }
        words.entrySet().stream().filter(e -> e.getValue() >= MIN_COUNT && e.getKey().length() > 1)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(size / 10).forEach(e -> {
                    add(out, e.getKey(), size);
                    if (e.getKey().length() > 3) { // a suffix piece, so longer words split into known pieces
                        add(out, "##" + e.getKey().substring(e.getKey().length() - 2), size);
                    }
                });
        for (int c = '0'; c <= 'z'; c++) {
            if (Character.isDigit(c) || Character.isLowerCase(c)) {
                add(out, "##" + (char) c, size);
            }
        }
        for (int cp : frequentChars) {
            if (!Character.isLetterOrDigit(cp) || cp >= 128) {
                add(out, "##" + new String(Character.toChars(cp)), size);
            }
        }
        for (int cp = 0x4E00; cp <= 0x9FFF && out.size() < size; cp++) {
            add(out, new String(Character.toChars(cp)), size);
        }
        return Vocabulary.of(new ArrayList<>(out));
    }

    private static void add(Set<String> out, String token, int size) {
        if (out.size() < size) {
            out.add(token);
        }
    }
}
