package com.emotionmonitor.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.data.LabeledPost;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The comparison itself, on small hand-made files (the real data is WeiboTextCleanerParityTest's). */
class CleanerParityTest {

    private static final CleanerParity PARITY = new CleanerParity(WeiboTextCleaner.reference());

    private static LabeledPost post(String id, String content) {
        return new LabeledPost(id, content, "happy", 1);
    }

    @Test
    void matchesByIdNotByPosition() {
        List<LabeledPost> raw = List.of(post("1", "ＡＢ"), post("2", "猛"));
        List<LabeledPost> reference = List.of(post("2", "勐"), post("1", "ab"));
        CleanerParity.Report report = PARITY.compare("x_eval", raw, reference, () -> {});
        assertEquals(2, report.total());
        assertEquals(2, report.matching());
        assertTrue(report.differences().isEmpty());
        assertTrue(report.passes());
    }

    @Test
    void reportsEachDifferenceWithItsReason() {
        List<LabeledPost> raw = List.of(post("1", "好的"), post("2", "多余"), post("4", "好"));
        List<LabeledPost> reference = List.of(post("1", "好吗"), post("3", "缺"), post("4", "好"));
        CleanerParity.Report report = PARITY.compare("x_eval", raw, reference, () -> {});
        assertEquals(4, report.total(), "3 reference rows + 1 raw row the reference lacks");
        assertEquals(1, report.matching());
        assertEquals(25.0, report.parityPercent());
        assertFalse(report.passes());
        List<CleanerParity.Difference> d = report.differences();
        assertEquals("1", d.get(0).id());
        assertEquals("first difference at character 1: expected '吗' (U+5417), actual '的' (U+7684)", d.get(0).reason());
        assertEquals("no reference row with this id", d.get(1).reason());
        assertNull(d.get(1).expected());
        assertEquals("3", d.get(2).id());
        assertEquals("no raw row with this id", d.get(2).reason());
        assertNull(d.get(2).actual());
    }

    @Test
    void trainSplitsDropEmptyRowsLikeTheReferenceAndReportThemApart() {
        List<LabeledPost> raw = List.of(post("1", ""), post("2", "http://t.cn/x"), post("3", "好"), post("4", "@某人"));
        List<LabeledPost> reference = List.of(post("3", "好"), post("4", ""));
        CleanerParity.Report train = PARITY.compare("usual_train", raw, reference, () -> {});
        assertEquals(List.of("1", "2"), train.droppedIds());
        assertEquals(1, train.matching());
        assertEquals(1, train.differences().size());
        assertTrue(train.differences().get(0).reason().contains("would be dropped"));

        CleanerParity.Report eval = PARITY.compare("usual_eval", List.of(post("4", "@某人")), List.of(post("4", "")), () -> {});
        assertEquals(1, eval.matching(), "eval files keep empty rows");
        assertTrue(eval.droppedIds().isEmpty());
    }

    @Test
    void describesLengthDifferencesAndInvisibleCharacters() {
        assertEquals("actual ends at character 2, expected continues with (U+0020)", CleanerParity.firstDifference("ab ", "ab"));
        assertEquals("expected ends at character 1, actual continues with '😂' (U+1F602)", CleanerParity.firstDifference("a", "a😂"));
    }

    @Test
    void callsBackOncePerRawRow() {
        AtomicInteger calls = new AtomicInteger();
        PARITY.compare("x_eval", List.of(post("1", "a"), post("2", "b")), List.of(), calls::incrementAndGet);
        assertEquals(2, calls.get());
    }

    @Test
    void duplicateIdsAreDifferences() {
        CleanerParity.Report report = PARITY.compare("x_eval", List.of(post("1", "a"), post("1", "a")), List.of(post("1", "a")), () -> {});
        assertEquals(1, report.matching());
        assertEquals("duplicate id in the raw file", report.differences().get(0).reason());
    }
}
