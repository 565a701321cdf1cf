package com.emotionmonitor.text;

/**
 * Python 3 {@code str} semantics the reference cleaner relies on, spelled out because Java's differ: Python's
 * {@code \s} / {@code str.isspace()} also covers U+001C..U+001F, Java's {@code String.strip()} misses U+0085, and
 * Python's {@code \w} is exactly "letter or number or underscore" (Java's Unicode {@code \w} adds combining marks and
 * connector punctuation and drops No numbers such as {@code ²}).
 */
final class PythonText {

    private PythonText() {}

    /** {@code str.isspace()} for one UTF-16 unit; every Python whitespace character is in the BMP. */
    static boolean isSpace(char c) {
        if (c <= 0x20) {
            return c == 0x20 || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
        }
        if (c < 0x85) {
            return false;
        }
        return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A)
                || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
    }

    /** Python's {@code \w} on a str pattern: {@code isalnum()} or {@code '_'}, i.e. categories L* and N*. */
    static boolean isWord(int codePoint) {
        if (codePoint < 0x80) {
            return (codePoint >= 'a' && codePoint <= 'z') || (codePoint >= 'A' && codePoint <= 'Z')
                    || (codePoint >= '0' && codePoint <= '9') || codePoint == '_';
        }
        switch (Character.getType(codePoint)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.DECIMAL_DIGIT_NUMBER,
                    Character.LETTER_NUMBER, Character.OTHER_NUMBER:
                return true;
            default:
                return false;
        }
    }

    /**
     * A character that {@code [a-z]} matches under Python's {@code re.IGNORECASE} on a str pattern: ASCII letters
     * plus the four that case-fold onto them (U+0130 İ, U+0131 ı, U+017F ſ, U+212A Kelvin sign).
     */
    static boolean isIgnoreCaseAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                || c == '\u0130' || c == '\u0131' || c == '\u017F' || c == '\u212A';
    }

    /** {@code str.strip()}. */
    static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    /** True when nothing but Python whitespace is left. */
    static boolean isBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isSpace(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code re.sub(r"(\s)+", r"\1", s)}: each whitespace run becomes its LAST character (a repeated group keeps
     * its last capture).
     */
    static String collapseWhitespace(String s) {
        int n = s.length();
        StringBuilder out = null;
        int copied = 0;
        int i = 0;
        while (i < n) {
            if (!isSpace(s.charAt(i))) {
                i++;
                continue;
            }
            int runEnd = i + 1;
            while (runEnd < n && isSpace(s.charAt(runEnd))) {
                runEnd++;
            }
            if (runEnd - i > 1) {
                if (out == null) {
                    out = new StringBuilder(n);
                }
                out.append(s, copied, i).append(s.charAt(runEnd - 1));
                copied = runEnd;
            }
            i = runEnd;
        }
        return out == null ? s : out.append(s, copied, n).toString();
    }
}
