package com.emotionmonitor.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules of Hugging Face's BERT tokenizer where they differ from ours (BertChineseTokenizer). */
class HfBertTokenizerTest {

    private static final Vocabulary VOCAB = Vocabulary.of(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
            "我", "爱", "!", "😂", "##😂", "cafe", "a", "##b", "★", "豈", "[", "]", "un", "##k"));

    private static HfBertTokenizer lower() {
        return new HfBertTokenizer(VOCAB, 142, true);
    }

    @Test
    void aRunOfEmojiIsOneWordForWordPieceNotOneTokenEach() {
        assertEquals(List.of("我", "😂", "##😂", "##😂"), lower().tokenize("我😂😂😂"));
        assertEquals(List.of("我", "😂", "😂"), new BertChineseTokenizer(VOCAB, 142).tokenize("我😂😂"), "ours splits them");
        assertEquals(List.of("★", "##😂"), lower().tokenize("★😂"));
        assertEquals(List.of("[UNK]"), lower().tokenize("😂★"), "no ##★ piece: the whole word is unknown");
    }

    @Test
    void literalSpecialTokensAreThoseTokensAndOnlyWhenSpelledExactly() {
        assertArrayEquals(new int[] {2, 5, 1, 6, 3}, lower().encode("我[UNK]爱").ids());
        assertEquals(List.of("[", "un", "##k", "]"), lower().tokenize("[unk]"));
    }

    @Test
    void accentsStrippedAndLowerCasedOnlyInTheLowerCasingVariant() {
        assertEquals(List.of("cafe"), lower().tokenize("CAFÉ"));
        assertEquals(List.of("[UNK]"), new HfBertTokenizer(VOCAB, 142, false).tokenize("CAFÉ"));
        assertEquals(List.of("cafe"), new HfBertTokenizer(VOCAB, 142, false).tokenize("cafe"));
    }

    @Test
    void cjkCompatibilityIdeographsAreNormalisedToTheirUnifiedForm() {
        // U+F900 decomposes canonically to U+8C48 (豈): NFD, part of accent stripping, maps one to the other.
        assertEquals(List.of("豈"), lower().tokenize("\uF900"));
        assertEquals(List.of("[UNK]"), new HfBertTokenizer(VOCAB, 142, false).tokenize("\uF900"));
    }

    @Test
    void controlCharactersDropAndUnicodeSpacesSplit() {
        assertEquals(List.of("我", "a", "##b", "a"), lower().tokenize("我\u0000ab\u200B\u3000a\uFFFD"));
        assertEquals(List.of("[UNK]"), lower().tokenize("a\u200Bbx"), "a zero-width space is dropped, not a split");
    }

    @Test
    void aTokenListedTwiceHasItsLastLineAsInHuggingFacesVocabLoader() {
        Vocabulary v = Vocabulary.of(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "##s", "##s"));
        assertArrayEquals(new int[] {2, 5, 7, 3}, new HfBertTokenizer(v, 142, true).encode("as").ids());
        assertArrayEquals(new int[] {2, 5, 6, 3}, new BertChineseTokenizer(v, 142).encode("as").ids(), "ours keeps the first");
    }

    @Test
    void truncatesToTheCapAndKeepsSep() {
        Encoding e = lower().encode("我".repeat(500));
        assertEquals(142, e.length());
        assertEquals(3, e.ids()[141]);
        assertEquals(TokenizerVariant.HF_BERT_BASIC, lower().variant());
    }
}
