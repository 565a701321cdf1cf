package com.emotionmonitor.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CodePointTruncatorTest {

    @Test
    void countsCodePointsNotChars() {
        String emoji = "😂".repeat(140);
        assertEquals(280, emoji.length());
        assertSame(emoji, CodePointTruncator.truncate(emoji, 140));
        assertEquals("😂😂", CodePointTruncator.truncate(emoji, 2));
    }

    @Test
    void neverSplitsASurrogatePair() {
        assertEquals("ab", CodePointTruncator.truncate("ab😂c", 2));
        assertEquals("ab😂", CodePointTruncator.truncate("ab😂c", 3));
        assertEquals("👍🏻", CodePointTruncator.truncate("👍🏻👍🏻", 2), "a skin-tone modifier is its own code point");
    }

    @Test
    void countsAnUnpairedSurrogateAsOne() {
        assertEquals("\ud800a", CodePointTruncator.truncate("\ud800ab", 2));
        assertEquals("\ude00\ud83d\ude00", CodePointTruncator.truncate("\ude00\ud83d\ude00x", 2), "a lone low, then a pair");
        assertEquals("\ude00\ud83d", CodePointTruncator.truncate("\ude00\ud83dx", 2), "a low then a high: two unpaired");
        assertEquals("a\ud83d", CodePointTruncator.truncate("a\ud83d", 5));
    }

    @Test
    void mixedScriptsAndEdges() {
        assertEquals("中文ab", CodePointTruncator.truncate("中文abc", 4));
        assertEquals("", CodePointTruncator.truncate("abc", 0));
        assertEquals("", CodePointTruncator.truncate("", 3));
        String exact = "一二三";
        assertSame(exact, CodePointTruncator.truncate(exact, 3));
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(NullPointerException.class, () -> CodePointTruncator.truncate(null, 3));
        assertThrows(IllegalArgumentException.class, () -> CodePointTruncator.truncate("a", -1));
    }
}
