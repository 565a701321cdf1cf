package com.emotionmonitor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bin/emotion clean}, run in-process through the real command tree. */
class CleanCommandTest {

    @TempDir Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = EmotionCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "clean";
        System.arraycopy(args, 0, all, 1, args.length);
        return cli.execute(all);
    }

    private Path write(String name, String... lines) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, List.of(lines), StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void cleansContentAndKeepsIdAndLabel() throws IOException {
        Path in = write("in.jsonl",
                "{\"id\": 1, \"content\": \"回复@张三:猛烈ＡＢ http://t.cn/x [心]\", \"label\": \"happy\"}",
                "{\"id\": \"w-2\", \"content\": \"http://t.cn/only\"}",
                "{\"id\": 3, \"content\": \"" + "长".repeat(200) + "\", \"label\": \"sad\"}");
        Path outFile = dir.resolve("out.jsonl");
        assertEquals(0, run("--in", in.toString(), "--out", outFile.toString()), err.toString());
        assertEquals(List.of(
                "{\"id\":1,\"content\":\"勐烈ab 《心》\",\"label\":\"happy\"}",
                "{\"id\":\"w-2\",\"content\":\"\"}",
                "{\"id\":3,\"content\":\"" + "长".repeat(200) + "\",\"label\":\"sad\"}"), Files.readAllLines(outFile));
        assertTrue(out.toString().contains("cleaned 3 posts"), out.toString());
        assertTrue(out.toString().contains("1 empty after cleaning"), out.toString());
    }

    @Test
    void truncatesAndFixesLossyCharactersOnRequest() throws IOException {
        Path in = write("in.jsonl", "{\"id\": 1, \"content\": \"猛烈😂😂😂\"}");
        Path outFile = dir.resolve("out.jsonl.gz");
        assertEquals(0, run("--in", in.toString(), "--out", outFile.toString(), "--max-chars", "3", "--fix-lossy-chars"), err.toString());
        assertEquals("猛烈😂", com.emotionmonitor.data.JsonlPostReader.readAll(outFile, com.emotionmonitor.data.OnError.FAIL)
                .posts().get(0).content());
        assertTrue(out.toString().contains("weibo-clean-1+lossless-chars"), out.toString());
    }

    @Test
    void aMalformedLineFailsWithFileAndLineAndWritesNothing() throws IOException {
        Path in = write("in.jsonl", "{\"id\": 1, \"content\": \"好\"}", "{\"id\": 2, \"content\": ");
        Path outFile = dir.resolve("out.jsonl");
        assertEquals(2, run("--in", in.toString(), "--out", outFile.toString()));
        assertTrue(err.toString().contains(in + ":2: invalid JSON"), err.toString());
        assertFalse(Files.exists(outFile));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(in), files.toList(), "no temporary output left behind");
        }
    }

    @Test
    void skippedLinesAreCountedAndListed() throws IOException {
        Path in = write("in.jsonl", "{\"id\": 1, \"content\": \"好\"}", "oops", "{\"id\": 3}");
        Path outFile = dir.resolve("out.jsonl");
        assertEquals(0, run("--in", in.toString(), "--out", outFile.toString(), "--on-error", "SKIP"), err.toString());
        assertEquals(1, Files.readAllLines(outFile).size());
        assertTrue(err.toString().contains("skipped " + in + ":2: invalid JSON"), err.toString());
        assertTrue(err.toString().contains("skipped " + in + ":3: missing \"content\""), err.toString());
        assertTrue(out.toString().contains("2 malformed lines skipped"), out.toString());
    }

    @Test
    void wrongPathsAndOptionsExitWithTwoAndSayWhy() throws IOException {
        Path in = write("in.jsonl", "{\"id\": 1, \"content\": \"好\"}");
        assertEquals(2, run("--in", dir.resolve("missing.jsonl").toString(), "--out", dir.resolve("o.jsonl").toString()));
        assertTrue(err.toString().contains("missing.jsonl does not exist"), err.toString());
        assertEquals(2, run("--in", in.toString(), "--out", dir.resolve("no/such/dir/o.jsonl").toString()));
        assertTrue(err.toString().contains("output directory does not exist"), err.toString());
        assertEquals(2, run("--in", in.toString()));
        assertEquals(2, run("--in", in.toString(), "--out", dir.resolve("o.jsonl").toString(), "--max-chars", "0"));
        assertEquals(2, run("--in", in.toString(), "--out", dir.resolve("o.jsonl").toString(), "--on-error", "ignore"));
        assertEquals(2, run("--parity", "--in", in.toString()));
        assertEquals(2, run("--parity", "--reference-dir", dir.resolve("nowhere").toString()));
        assertTrue(err.toString().contains("nowhere does not exist"), err.toString());
    }

    @Test
    void parityPassesOnMatchingFilesAndReportsDroppedRowsApart() throws IOException {
        Path ref = referenceDir("{\"id\": 2, \"content\": \"ab\", \"label\": \"happy\"}");
        assertEquals(0, run("--parity", "--reference-dir", ref.toString()), out + "\n" + err);
        String report = out.toString();
        assertTrue(Pattern.compile("usual_train +1/1 +100\\.000% +ok +\\(1 empty rows dropped").matcher(report).find(), report);
        assertTrue(report.contains("usual_train: dropped as empty before/after cleaning, as the reference does (not mismatches): ids 1"), report);
        assertTrue(report.contains("no differing rows"), report);
    }

    @Test
    void parityListsEveryDifferingRowAndFailsBelowTheThreshold() throws IOException {
        Path ref = referenceDir("{\"id\": 2, \"content\": \"aB\", \"label\": \"happy\"}");
        assertEquals(1, run("--parity", "--reference-dir", ref.toString()));
        String report = out.toString();
        assertTrue(Pattern.compile("usual_train +0/1 +0\\.000% +BELOW 99\\.9%").matcher(report).find(), report);
        assertTrue(report.contains("1 differing rows:"), report);
        assertTrue(report.contains("usual_train id=2: first difference at character 1: expected 'B' (U+0042), actual 'b' (U+0062)"), report);
        assertTrue(report.contains("expected: \"aB\"") && report.contains("actual:   \"ab\""), report);
    }

    /** A reference folder in the real layout; usual_train has one empty row (dropped) and one that cleans to "ab". */
    private Path referenceDir(String usualTrainReferenceRow) throws IOException {
        Path ref = dir.resolve("smp");
        write("smp/usual_train.jsonl", "{\"id\": 1, \"content\": \"\", \"label\": \"sad\"}", "{\"id\": 2, \"content\": \"ＡＢ\", \"label\": \"happy\"}");
        write("smp/reference_clean/usual_train_clean.jsonl", usualTrainReferenceRow);
        for (String split : List.of("usual_eval", "virus_train", "virus_eval")) {
            write("smp/" + split + ".jsonl", "{\"id\": 7, \"content\": \"回复@x:好\", \"label\": \"happy\"}");
            write("smp/reference_clean/" + split + "_clean.jsonl", "{\"id\": 7, \"content\": \"好\", \"label\": \"happy\"}");
        }
        return ref;
    }
}
