package com.emotionmonitor.text;

import com.emotionmonitor.data.SharedData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The cleaner against the published reference outputs, by id: every row of all four files must match. Reads
 * {@code ../shared/data/smp2020-ewect} beside the project; without it the test FAILS (it never skips).
 */
class WeiboTextCleanerParityTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "usual_train, 27730, 38",
        "usual_eval,   2000,  0",
        "virus_train,  8592, 14",
        "virus_eval,   2000,  0"})
    void matchesTheReferenceByteForByte(String split, long referenceRows, int droppedAsEmpty) throws IOException {
        CleanerParity.Report report = new CleanerParity(WeiboTextCleaner.reference()).compare(referenceDir(), split);

        String differences = report.differences().stream().limit(20)
                .map(d -> d.id() + ": " + d.reason() + "\n  expected " + d.expected() + "\n  actual   " + d.actual())
                .collect(Collectors.joining("\n"));
        assertTrue(report.differences().isEmpty(), report.differences().size() + " rows differ:\n" + differences);
        assertEquals(referenceRows, report.total());
        assertEquals(referenceRows, report.matching());
        assertEquals(100.0, report.parityPercent());
        assertEquals(droppedAsEmpty, report.droppedIds().size(), "rows dropped as empty, like the reference");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"usual_train", "virus_eval"})
    void theLosslessOptionChangesOnlyRowsWithLossyCharacters(String split) throws IOException {
        CleanerParity.Report report = new CleanerParity(new WeiboTextCleaner(CleanerOptions.LOSSLESS_CHARS)).compare(referenceDir(), split);
        assertTrue(!report.differences().isEmpty(), "the data has 猛/糊/拾... rows");
        Map<Boolean, Long> byCause = report.differences().stream().collect(Collectors.partitioningBy(
                d -> d.actual() != null && d.actual().chars().anyMatch(c -> CharTableNormalizer.LOSSY_SOURCES.indexOf(c) >= 0),
                Collectors.counting()));
        assertEquals(0L, byCause.get(false), "every differing row keeps a character the reference table rewrote");
    }

    /** {@code ../shared/data/smp2020-ewect} beside the checkout. */
    static Path referenceDir() {
        Path data = SharedData.locate().resolve("smp2020-ewect");
        if (!Files.isRegularFile(CleanerParity.rawFile(data, "usual_train"))
                || !Files.isDirectory(data.resolve("reference_clean"))) {
            return fail("reference data missing: expected " + data + " with usual_train.jsonl and reference_clean/ "
                    + "(the SMP2020-EWECT files beside the project); parity cannot be checked without it");
        }
        return data;
    }
}
