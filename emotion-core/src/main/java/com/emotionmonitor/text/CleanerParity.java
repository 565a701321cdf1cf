package com.emotionmonitor.text;

import com.emotionmonitor.data.JsonlPostReader;
import com.emotionmonitor.data.LabeledPost;
import com.emotionmonitor.data.OnError;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks {@link WeiboTextCleaner} against the SMP2020-EWECT reference outputs ({@code reference_clean/*_clean.jsonl}),
 * row by row BY ID. Like the reference script, train splits drop rows whose content is empty before or after
 * cleaning; those are counted apart ("dropped as the reference does"), not as mismatches.
 */
public final class CleanerParity {

    /** The four raw files of {@code ../shared/data/smp2020-ewect}, without {@code .jsonl}. */
    public static final List<String> SPLITS = List.of("usual_train", "usual_eval", "virus_train", "virus_eval");

    /** Below this a split fails the parity check. */
    public static final double REQUIRED_PERCENT = 99.9;

    private final WeiboTextCleaner cleaner;

    public CleanerParity(WeiboTextCleaner cleaner) {
        this.cleaner = Objects.requireNonNull(cleaner, "cleaner");
    }

    public static Path rawFile(Path referenceDir, String split) {
        return referenceDir.resolve(split + ".jsonl");
    }

    public static Path referenceFile(Path referenceDir, String split) {
        return referenceDir.resolve("reference_clean").resolve(split + "_clean.jsonl");
    }

    /** The reference script drops empty rows only from files whose path contains "train". */
    public static boolean dropsEmptyRows(String split) {
        return split.contains("train");
    }

    /** Reads both files of {@code split} under {@code referenceDir} and compares them. */
    public Report compare(Path referenceDir, String split) throws IOException {
        List<LabeledPost> raw = JsonlPostReader.readAll(rawFile(referenceDir, split), OnError.FAIL).posts();
        List<LabeledPost> reference = JsonlPostReader.readAll(referenceFile(referenceDir, split), OnError.FAIL).posts();
        return compare(split, raw, reference, () -> {});
    }

    /**
     * Cleans every raw row and compares it with the reference row of the same id.
     *
     * @param afterEachRow called once per raw row (progress)
     */
    public Report compare(String split, List<LabeledPost> raw, List<LabeledPost> reference, Runnable afterEachRow) {
        Map<String, String> expected = new LinkedHashMap<>();
        List<Difference> differences = new ArrayList<>();
        for (LabeledPost r : reference) {
            if (expected.putIfAbsent(r.id(), r.content()) != null) {
                differences.add(new Difference(r.id(), r.content(), null, "duplicate id in the reference file"));
            }
        }
        boolean dropsEmpty = dropsEmptyRows(split);
        Set<String> seen = new HashSet<>();
        List<String> dropped = new ArrayList<>();
        long matching = 0;
        long extra = 0;
        for (LabeledPost post : raw) {
            afterEachRow.run();
            String id = post.id();
            if (!seen.add(id)) {
                differences.add(new Difference(id, expected.get(id), null, "duplicate id in the raw file"));
                continue;
            }
            String actual = cleaner.clean(post.content());
            String want = expected.get(id);
            if (dropsEmpty && (post.content().isEmpty() || actual.isEmpty())) {
                if (want == null) {
                    dropped.add(id);
                } else {
                    differences.add(new Difference(id, want, actual,
                            "the reference keeps this row, but its cleaned text is empty so it would be dropped"));
                }
            } else if (want == null) {
                extra++;
                differences.add(new Difference(id, null, actual, "no reference row with this id"));
            } else if (want.equals(actual)) {
                matching++;
            } else {
                differences.add(new Difference(id, want, actual, firstDifference(want, actual)));
            }
        }
        for (Map.Entry<String, String> e : expected.entrySet()) {
            if (!seen.contains(e.getKey())) {
                differences.add(new Difference(e.getKey(), e.getValue(), null, "no raw row with this id"));
            }
        }
        return new Report(split, expected.size() + extra, matching, dropped, differences);
    }

    /** Where two strings first differ, in code points, with the characters named. */
    static String firstDifference(String expected, String actual) {
        int i = 0;
        int index = 0;
        while (i < expected.length() && i < actual.length()) {
            int e = expected.codePointAt(i);
            int a = actual.codePointAt(i);
            if (e != a) {
                return "first difference at character " + index + ": expected " + describe(e) + ", actual " + describe(a);
            }
            i += Character.charCount(e);
            index++;
        }
        if (i < expected.length()) {
            return "actual ends at character " + index + ", expected continues with " + describe(expected.codePointAt(i));
        }
        return "expected ends at character " + index + ", actual continues with " + describe(actual.codePointAt(i));
    }

    private static String describe(int codePoint) {
        String shown = Character.isISOControl(codePoint) || Character.isWhitespace(codePoint)
                ? "" : "'" + new String(Character.toChars(codePoint)) + "' ";
        return shown + String.format("(U+%04X)", codePoint);
    }

    /**
     * One row that does not match. {@code expected} is null when the reference has no such row, {@code actual} when
     * the raw file has none.
     */
    public record Difference(String id, String expected, String actual, String reason) {}

    /**
     * Parity of one split.
     *
     * @param total rows that must match: reference rows, plus raw rows the reference lacks
     * @param droppedIds raw rows dropped because they are empty, exactly as the reference dropped them
     */
    public record Report(String split, long total, long matching, List<String> droppedIds, List<Difference> differences) {

        public Report {
            droppedIds = List.copyOf(droppedIds);
            differences = List.copyOf(differences);
        }

        public double parityPercent() {
            return total == 0 ? 100.0 : 100.0 * matching / total;
        }

        public boolean passes() {
            return parityPercent() >= REQUIRED_PERCENT;
        }
    }
}
