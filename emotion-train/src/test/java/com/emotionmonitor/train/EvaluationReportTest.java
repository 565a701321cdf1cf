package com.emotionmonitor.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.model.Emotion;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluationReportTest {

    /** Six hand-checked rows: gold/pred pairs with known precision, recall and F1. */
    @Test
    void metricsOfAHandMadeSixRowSet() {
        EvaluationReport r = new EvaluationReport();
        r.add(Emotion.HAPPY, Emotion.HAPPY);
        r.add(Emotion.HAPPY, Emotion.SAD);
        r.add(Emotion.ANGRY, Emotion.ANGRY);
        r.add(Emotion.SAD, Emotion.SAD);
        r.add(Emotion.FEAR, Emotion.NEUTRAL);
        r.add(Emotion.NEUTRAL, Emotion.NEUTRAL);
        assertEquals(6, r.n());
        assertEquals(4.0 / 6, r.accuracy(), 1e-9);
        assertEquals(1.0, r.precision(Emotion.HAPPY), 1e-9);
        assertEquals(0.5, r.recall(Emotion.HAPPY), 1e-9);
        assertEquals(2.0 / 3, r.f1(Emotion.HAPPY), 1e-9);
        assertEquals(0.5, r.precision(Emotion.SAD), 1e-9);
        assertEquals(2.0 / 3, r.f1(Emotion.SAD), 1e-9);
        assertEquals(0.0, r.f1(Emotion.FEAR), 1e-9);
        assertEquals(0.0, r.f1(Emotion.SURPRISE), 1e-9, "no gold and no prediction: F1 0, as sklearn's zero_division=0");
        assertEquals(2.0 / 3, r.f1(Emotion.NEUTRAL), 1e-9);
        // (2/3 + 1 + 2/3 + 0 + 0 + 2/3) / 6
        assertEquals(3.0 / 6, r.macroF1(), 1e-9);
        Map<String, Object> json = r.toMap();
        assertEquals(6L, json.get("n"));
        assertEquals(0.5, json.get("macro_f1"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> perClass = (Map<String, Map<String, Object>>) json.get("per_class");
        assertEquals(0.5, perClass.get("happy").get("recall"));
        assertEquals(2L, perClass.get("happy").get("support"));
    }

    @Test
    void perfectPredictionsHaveAnIntervalOfOne() {
        // 50 posts a class: a resample that misses a whole class (F1 0 by convention) is vanishingly unlikely.
        EvaluationReport r = new EvaluationReport();
        for (Emotion e : Emotion.values()) {
            for (int i = 0; i < 50; i++) {
                r.add(e, e);
            }
        }
        assertArrayEquals(new double[] {1.0, 1.0}, r.macroF1Interval95(200, 1L), 1e-12);
    }

    @Test
    void theBootstrapIntervalHoldsTheScoreIsReproducibleAndNarrowsWithMorePosts() {
        EvaluationReport small = skewed(1);
        EvaluationReport large = skewed(20);
        double[] a = small.macroF1Interval95(500, 7L);
        assertArrayEquals(a, small.macroF1Interval95(500, 7L), 0.0, "a fixed seed gives the same interval");
        assertTrue(a[0] <= small.macroF1() && small.macroF1() <= a[1], a[0] + " .. " + a[1] + " vs " + small.macroF1());
        double[] b = large.macroF1Interval95(500, 7L);
        assertEquals(small.macroF1(), large.macroF1(), 1e-12, "same proportions, same score");
        assertTrue(b[1] - b[0] < (a[1] - a[0]) / 2, "20x the posts: the interval shrinks by about sqrt(20)");
        @SuppressWarnings("unchecked")
        List<Double> json = (List<Double>) small.toMap().get("macro_f1_ci95");
        assertEquals(2, json.size());
    }

    /** 60 x scale posts: mostly right, with a few confusions and a rare class that is often missed. */
    private static EvaluationReport skewed(int scale) {
        EvaluationReport r = new EvaluationReport();
        for (int s = 0; s < scale; s++) {
            for (Emotion e : Emotion.values()) {
                for (int i = 0; i < 8; i++) {
                    r.add(e, i < 6 ? e : Emotion.NEUTRAL);
                }
            }
            r.add(Emotion.FEAR, Emotion.SAD);
            r.add(Emotion.FEAR, Emotion.SAD);
            r.add(Emotion.SURPRISE, Emotion.HAPPY);
            for (int i = 0; i < 9; i++) {
                r.add(Emotion.HAPPY, Emotion.HAPPY);
            }
        }
        return r;
    }
}
