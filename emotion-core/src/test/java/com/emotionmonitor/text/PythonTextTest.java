package com.emotionmonitor.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

class PythonTextTest {

    /** {@code [hex(i) for i in range(0x110000) if chr(i).isspace()]} in Python 3.11. */
    private static final Set<Integer> PYTHON_WHITESPACE = Set.of(0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20,
            0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a,
            0x2028, 0x2029, 0x202f, 0x205f, 0x3000);

    @Test
    void isSpaceIsPythonsIsspace() {
        Set<Integer> actual = new TreeSet<>();
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            if (PythonText.isSpace(c)) {
                actual.add((int) c);
            }
        }
        assertEquals(new TreeSet<>(PYTHON_WHITESPACE), actual);
    }

    @Test
    void isWordIsLettersNumbersAndUnderscore() {
        assertTrue(PythonText.isWord('a'));
        assertTrue(PythonText.isWord('_'));
        assertTrue(PythonText.isWord('中'));
        assertTrue(PythonText.isWord('²'), "No: Python \\w, not Java's");
        assertTrue(PythonText.isWord('①'));
        assertTrue(PythonText.isWord(0x20000), "supplementary ideograph");
        assertFalse(PythonText.isWord('\u0301'), "combining mark: Java's Unicode \\w, not Python's");
        assertFalse(PythonText.isWord('\u203f'), "connector punctuation other than '_'");
        assertFalse(PythonText.isWord(0x1F602), "emoji");
        assertFalse(PythonText.isWord(0xD800), "unpaired surrogate");
        assertFalse(PythonText.isWord('.'));
    }

    @Test
    void ignoreCaseLettersIncludeThePythonFoldings() {
        for (char c : "azAZ\u0130\u0131\u017F\u212A".toCharArray()) {
            assertTrue(PythonText.isIgnoreCaseAsciiLetter(c));
        }
        assertFalse(PythonText.isIgnoreCaseAsciiLetter('ａ'));
        assertFalse(PythonText.isIgnoreCaseAsciiLetter('0'));
    }

    @Test
    void collapseKeepsTheLastCharacterOfEachRun() {
        assertEquals("a b\u3000c", PythonText.collapseWhitespace("a\t b \n\u3000c"));
        String unchanged = "a b c";
        assertTrue(unchanged == PythonText.collapseWhitespace(unchanged));
    }

    @Test
    void stripAndBlankUsePythonWhitespace() {
        assertEquals("a", PythonText.strip("\u0085\u001c a \u3000"));
        assertEquals("", PythonText.strip(" \t "));
        assertTrue(PythonText.isBlank("\u0085 \u2028"));
        assertTrue(PythonText.isBlank(""));
        assertFalse(PythonText.isBlank(" x "));
    }
}
