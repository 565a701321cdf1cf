package com.emotionmonitor.text;

/**
 * The reference script's own last pass, {@code re.sub(r'(https|http)?:\/\/(\w|\.|\/|\?|\=|\&|\%)*\b', '', s)}: it
 * removes leftover {@code ://...} and {@code http://...} fragments. {@code \w} and {@code \b} are Python's Unicode ones
 * ({@link PythonText#isWord}), so CJK text right after {@code ://} is eaten up to a word boundary. Nothing is stripped
 * afterwards, so a leading or trailing space can remain.
 *
 * <p>Scanned by hand: Java's {@code \b} differs from Python's, and {@code (a|b)*} recurses once per character in
 * {@code java.util.regex}. Semantics of the regex: at each {@code "://"} (preceded by {@code https} or {@code http}
 * when those letters lie after the previous match), take the run of {@code \w . / ? = & %} after it and give back
 * characters from its end until a word boundary is reached; with no boundary anywhere this {@code "://"} stays.
 */
final class ScriptUrlRemover {

    private static final String SEPARATOR = "://";

    private ScriptUrlRemover() {}

    static String apply(String s) {
        int sep = s.indexOf(SEPARATOR);
        if (sep < 0) {
            return s;
        }
        StringBuilder out = null;
        int lastEnd = 0;
        while (sep >= 0) {
            int end = tailEnd(s, sep + SEPARATOR.length());
            if (end < 0) {
                sep = s.indexOf(SEPARATOR, sep + 1);
                continue;
            }
            int start = sep;
            if (sep - 5 >= lastEnd && s.startsWith("https", sep - 5)) {
                start = sep - 5;
            } else if (sep - 4 >= lastEnd && s.startsWith("http", sep - 4)) {
                start = sep - 4;
            }
            if (out == null) {
                out = new StringBuilder(s.length());
            }
            out.append(s, lastEnd, start);
            lastEnd = end;
            sep = s.indexOf(SEPARATOR, end);
        }
        return out == null ? s : out.append(s, lastEnd, s.length()).toString();
    }

    /** End of {@code (\w|\.|\/|\?|\=|\&|\%)*\b} from {@code from} (just after a '/'), or -1 when there is no boundary. */
    private static int tailEnd(String s, int from) {
        int n = s.length();
        int runEnd = from;
        while (runEnd < n) {
            int cp = s.codePointAt(runEnd);
            if (!inRun(cp)) {
                break;
            }
            runEnd += Character.charCount(cp);
        }
        boolean wordAfter = runEnd < n && PythonText.isWord(s.codePointAt(runEnd));
        int k = runEnd;
        while (true) {
            boolean wordBefore = PythonText.isWord(s.codePointBefore(k)); // k > from - 1, so a '/' at worst
            if (wordBefore != wordAfter) {
                return k;
            }
            if (k == from) {
                return -1;
            }
            wordAfter = wordBefore;
            k -= Character.charCount(s.codePointBefore(k));
        }
    }

    private static boolean inRun(int cp) {
        return cp == '.' || cp == '/' || cp == '?' || cp == '=' || cp == '&' || cp == '%' || PythonText.isWord(cp);
    }
}
