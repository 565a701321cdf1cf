package com.emotionmonitor.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BertChineseTokenizerTest {

    private static Vocabulary smallVocab() {
        return Vocabulary.of(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
                "我", "爱", "北", "京", "!", ",", "《", "》", "泪", "😂", "wii", "un", "##aff", "##able", "t", "##i", "##n", "##y", "1", "##2", "##3"));
    }

    @Test
    void splitsEveryCjkCharacterAndFramesWithClsSep() {
        BertChineseTokenizer t = new BertChineseTokenizer(smallVocab(), 142);
        assertEquals(List.of("我", "爱", "北", "京", "!"), t.tokenize("我爱北京!"));
        Encoding e = t.encode("我爱北京!");
        assertArrayEquals(new int[] {2, 5, 6, 7, 8, 9, 3}, e.ids());
    }

    @Test
    void wordPieceForLatinAndDigitsLowerCased() {
        BertChineseTokenizer t = new BertChineseTokenizer(smallVocab(), 142);
        assertEquals(List.of("un", "##aff", "##able", "wii", "1", "##2", "##3"), t.tokenize("UNAFFABLE Wii 123"));
        assertEquals(List.of("t", "##i", "##n", "##y"), t.tokenize("tiny"));
    }

    @Test
    void unknownWordIsOneUnk() {
        BertChineseTokenizer t = new BertChineseTokenizer(smallVocab(), 142);
        assertEquals(List.of("[UNK]", "我"), t.tokenize("xyz我"));
    }

    @Test
    void emoticonTagsAndEmojiAreSeparateTokens() {
        BertChineseTokenizer t = new BertChineseTokenizer(smallVocab(), 142);
        assertEquals(List.of("《", "泪", "》", "😂", "😂"), t.tokenize("《泪》😂😂"));
    }

    @Test
    void dropsControlCharactersAndUnpairedSurrogates() {
        BertChineseTokenizer t = new BertChineseTokenizer(smallVocab(), 142);
        assertEquals(List.of("我", "爱"), t.tokenize("我\u0000\u0007\uD800爱\uFFFD\u200B"));
    }

    @Test
    void nullAndEmptyGiveClsSepOnly() {
        BertChineseTokenizer t = new BertChineseTokenizer(smallVocab(), 142);
        assertArrayEquals(new int[] {2, 3}, t.encode(null).ids());
        assertArrayEquals(new int[] {2, 3}, t.encode("   ").ids());
    }

    @Test
    void capsAt142TokensAndAlwaysEndsWithSep() {
        BertChineseTokenizer t = new BertChineseTokenizer(smallVocab(), 142);
        Encoding e = t.encode("我".repeat(1_000_000));
        assertEquals(142, e.length());
        assertEquals(2, e.ids()[0]);
        assertEquals(3, e.ids()[141]);
    }

    @Test
    void accentsAreStrippedLikeBertLowerCasing() {
        assertEquals("cafe", BertChineseTokenizer.normalizeWord("CAFÉ"));
    }

    @Test
    void builderKeepsEmojiAndMakesEveryKnownCharacterWordCoverable() {
        VocabularyBuilder b = new VocabularyBuilder();
        for (int i = 0; i < 10; i++) {
            b.add("今天好开心😂 wii 真好玩!!");
        }
        b.add("罕");
        Vocabulary v = b.build(5, 5, 100);
        assertEquals(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"), List.of(v.token(0), v.token(1), v.token(2), v.token(3), v.token(4)));
        assertTrue(v.contains("😂"));
        assertTrue(v.contains("wii"));
        assertTrue(v.contains("##i"));
        assertEquals(-1, v.idOf("罕"), "a character below the minimum count is not in the vocabulary");
        BertChineseTokenizer t = new BertChineseTokenizer(v, 142);
        assertEquals(List.of("w", "##i"), t.tokenize("wi"), "a new word of known characters is never [UNK]");
    }

    /** A bert-base-chinese style vocab.txt: 21,128 lines, [unused*], specials at 0 and 100-103, ## pieces. */
    @Test
    void loadsAStandardBertBaseChineseVocabulary(@TempDir Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("[PAD]");
        for (int i = 1; i <= 99; i++) {
            lines.add("[unused" + i + "]");
        }
        lines.addAll(List.of("[UNK]", "[CLS]", "[SEP]", "[MASK]", "<S>", "<T>", "!", ",", "我", "爱"));
        for (char c = 'a'; c <= 'z'; c++) {
            lines.add(String.valueOf(c));
            lines.add("##" + c);
        }
        for (int cp = 0x4E00; lines.size() < 21_128; cp++) {
            lines.add(new String(Character.toChars(cp)));
        }
        Path file = dir.resolve("vocab.txt");
        Files.write(file, (String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.UTF_8));

        Vocabulary v = Vocabulary.load(file);
        assertEquals(21_128, v.size());
        assertEquals(0, v.padId());
        assertEquals(100, v.unkId());
        assertEquals(101, v.clsId());
        assertEquals(102, v.sepId());
        assertEquals(103, v.maskId());
        assertTrue(v.isSpecial(5), "[unused5] is reserved");
        BertChineseTokenizer t = new BertChineseTokenizer(v, 142);
        assertEquals(List.of("我", "爱", "h", "##i", "!"), t.tokenize("我爱Hi!"));
        assertEquals(101, t.encode("我").ids()[0]);
    }

    @Test
    void missingVocabularyFileNamesThePath(@TempDir Path dir) {
        Path missing = dir.resolve("nope/vocab.txt");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Vocabulary.load(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void vocabularyWithoutSpecialsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.of(List.of("a", "b")));
    }
}
