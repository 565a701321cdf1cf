package com.emotionmonitor.text;

/**
 * w3lib {@code remove_tags(text)} (all tags, none kept): {@code re.sub("</?([^ >/]+).*?>", "", text, DOTALL)}.
 *
 * <p>Scanned by hand rather than with {@code java.util.regex}: that pattern backtracks quadratically (per {@code '<'})
 * when no {@code '>'} follows, which a 1 MB post of {@code '<'} turns into minutes. The semantics are the regex's: a
 * tag starts at {@code '<'}, an optional {@code '/'}, then a character other than space, {@code '>'} or {@code '/'},
 * and ends at the first {@code '>'} after that; scanning resumes after the {@code '>'}.
 */
final class HtmlTagRemover {

    private HtmlTagRemover() {}

    static String apply(String s) {
        int lt = s.indexOf('<');
        if (lt < 0) {
            return s;
        }
        int n = s.length();
        StringBuilder out = null;
        int copied = 0;
        while (lt >= 0) {
            int name = lt + 1;
            if (name < n && s.charAt(name) == '/') {
                name++;
            }
            if (name < n && !endsTagName(s.charAt(name))) {
                int gt = s.indexOf('>', name + 1);
                if (gt < 0) {
                    break; // no '>' left: no later '<' can close either
                }
                if (out == null) {
                    out = new StringBuilder(n);
                }
                out.append(s, copied, lt);
                copied = gt + 1;
                lt = s.indexOf('<', copied);
            } else {
                lt = s.indexOf('<', lt + 1);
            }
        }
        return out == null ? s : out.append(s, copied, n).toString();
    }

    private static boolean endsTagName(char c) {
        return c == ' ' || c == '>' || c == '/';
    }
}
