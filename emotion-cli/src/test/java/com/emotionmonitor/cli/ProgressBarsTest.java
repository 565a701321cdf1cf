package com.emotionmonitor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import me.tongfei.progressbar.ProgressBar;
import org.junit.jupiter.api.Test;

/** Written to a file, a bar is whole lines (no carriage returns), at most one a minute plus the last. */
class ProgressBarsTest {

    @Test
    void inALogTheBarIsPlainLinesNotRedraws() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try (ProgressBar bar = ProgressBars.builder("distill", 1000, false).build()) {
                for (int i = 1; i <= 1000; i++) {
                    bar.stepTo(i);
                }
                Thread.sleep(300); // several terminal intervals' worth of updates would have been drawn by now
            }
        } finally {
            System.setErr(stderr);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("\r"), text);
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        assertTrue(lines.size() <= 3, "a line when it starts and at its end (the library draws the end twice), not a redraw per update: " + lines);
        assertTrue(lines.get(lines.size() - 1).contains("1000/1000"), text);
        assertEquals(60_000, ProgressBars.LOG_INTERVAL_MILLIS);
    }
}
