package com.emotionmonitor.job.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.emotionmonitor.schema.Emotion;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.testutils.MetricListener;
import org.junit.jupiter.api.Test;

/** The per-emotion counters as a reporter sees them: a key/value group (a variable), then the counter. */
class EmotionCountersTest {

    @Test
    void eachEmotionHasItsOwnCounterUnderAnEmotionVariable() {
        MetricListener metrics = new MetricListener();
        EmotionCounters counters = new EmotionCounters(metrics.getMetricGroup());
        counters.count(Emotion.ANGRY);
        counters.count(Emotion.ANGRY);
        counters.count(Emotion.HAPPY);

        assertEquals(2, metrics.getCounter("emotion", "angry", "events").orElseThrow().getCount());
        assertEquals(1, metrics.getCounter("emotion", "happy", "events").orElseThrow().getCount());
        assertEquals(0, metrics.getCounter("emotion", "neutral", "events").orElseThrow().getCount());

        // What makes Prometheus export emotion="angry" as a label rather than a name part.
        MetricGroup angry = metrics.getMetricGroup().addGroup("emotion", "angry");
        assertEquals("angry", angry.getAllVariables().get("<emotion>"));
    }
}
