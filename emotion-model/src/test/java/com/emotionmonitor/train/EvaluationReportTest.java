package com.emotionmonitor.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.emotionmonitor.model.Emotion;
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
}
