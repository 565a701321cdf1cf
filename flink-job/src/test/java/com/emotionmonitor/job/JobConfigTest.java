package com.emotionmonitor.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobConfigTest {

    @Test
    void defaultsMatchTheDesign() {
        JobConfig c = JobConfig.defaults();
        assertEquals(Duration.ofMinutes(1), c.windowSize());
        assertEquals("emotion-events", c.eventsTopic());
        assertEquals("emotion-stats", c.statsTopic());
        assertTrue(c.transactionTimeout().compareTo(Duration.ofMinutes(15)) < 0,
                "must stay below the broker's default transaction.max.timeout.ms");
    }

    @Test
    void settingsOverrideDefaultsWithTypes() {
        JobConfig c = JobConfig.from(Map.of("window.size", "30s", "job.parallelism", "2", "batch.max-wait", "5ms",
                "kafka.starting-offsets", "earliest", "kafka.bounded", "true"));
        assertEquals(Duration.ofSeconds(30), c.windowSize());
        assertEquals(2, c.parallelism());
        assertEquals(Duration.ofMillis(5), c.batchMaxWait());
        assertEquals(EmotionJobOptions.StartingOffsets.EARLIEST, c.startingOffsets());
        assertTrue(c.bounded());
    }

    @Test
    void classifyModeAndBatchCostAreTypedAndRoundTrip() {
        assertEquals(EmotionJobOptions.ClassifyMode.BATCHED, JobConfig.defaults().classifyMode());
        JobConfig c = JobConfig.from(Map.of("classify.mode", "per-record", "batch.overhead-tokens", "512",
                "job.buffer-timeout", "0ms"));
        assertEquals(EmotionJobOptions.ClassifyMode.PER_RECORD, c.classifyMode());
        assertEquals(512, c.batchOverheadTokens());
        assertEquals(Duration.ZERO, c.bufferTimeout());
        assertEquals(c, JobConfig.from(c.toSettings()));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> JobConfig.from(Map.of("classify.mode", "sometimes")));
        assertTrue(bad.getMessage().contains("classify.mode") && bad.getMessage().contains("per-record"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JobConfig.from(Map.of("batch.overhead-tokens", "-1")));
    }

    @Test
    void roundTripsThroughSettings() {
        JobConfig c = JobConfig.from(Map.of("window.size", "90s", "model.version", "v3"));
        assertEquals(c, JobConfig.from(c.toSettings()));
        assertEquals(c.with(Map.of("job.parallelism", "4")).parallelism(), 4);
    }

    @Test
    void errorsNameTheKey() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> JobConfig.from(Map.of("window.sise", "1min")));
        assertTrue(unknown.getMessage().contains("window.sise"), unknown.getMessage());

        IllegalArgumentException badDuration = assertThrows(IllegalArgumentException.class,
                () -> JobConfig.from(Map.of("window.size", "soon")));
        assertTrue(badDuration.getMessage().contains("window.size"), badDuration.getMessage());

        IllegalArgumentException timeout = assertThrows(IllegalArgumentException.class,
                () -> JobConfig.from(Map.of("sink.transaction-timeout", "5s", "job.checkpoint-interval", "10s")));
        assertTrue(timeout.getMessage().contains("sink.transaction-timeout"), timeout.getMessage());

        assertThrows(IllegalArgumentException.class, () -> JobConfig.from(Map.of("topic.stats", "emotion-events")));
    }

    @Test
    void alertThresholdsAreTypedValidatedSettingsWithTheDetectorsDefaults() {
        assertEquals(com.emotionmonitor.job.alerts.SpikeDetectorConfig.defaults(), JobConfig.defaults().alerts());
        assertEquals("emotion-alerts", JobConfig.defaults().alertsTopic());

        JobConfig c = JobConfig.from(Map.of("alerts.z-low", "3.5", "alerts.min-emotion-count", "20",
                "alerts.idle-timeout", "3h", "window.example-ids", "5"));
        assertEquals(3.5, c.alerts().zLow());
        assertEquals(20, c.alerts().minEmotionCount());
        assertEquals(Duration.ofHours(3).toMillis(), c.alerts().idleTimeoutMillis());
        assertEquals(5, c.exampleIds());
        assertEquals(c, JobConfig.from(c.toSettings()));

        for (Map<String, String> bad : java.util.List.of(
                Map.of("alerts.z-low", "high"),
                Map.of("alerts.z-low", "NaN"),
                Map.of("alerts.ewma-alpha", "0"),
                Map.of("alerts.recovery-z", "5"),
                Map.of("alerts.min-emotion-count", "0"),
                Map.of("alerts.idle-timeout", "30s"),
                Map.of("topic.alerts", "emotion-stats"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobConfig.from(bad), bad.toString());
            String key = bad.keySet().iterator().next();
            assertTrue(e.getMessage().contains(key.equals("topic.alerts") ? "topics" : key), e.getMessage());
        }
    }

    @Test
    void driftAlertSettingsAreTypedValidatedAndTheirTopicsDistinct() {
        assertEquals(com.emotionmonitor.job.alerts.DriftDetectorConfig.defaults(), JobConfig.defaults().drift());
        assertEquals("emotion-drift-alerts", JobConfig.defaults().driftAlertsTopic());
        assertEquals("model-comparisons", JobConfig.defaults().comparisonsTopic());
        JobConfig c = JobConfig.from(Map.of("alerts.drift-threshold", "0.05", "alerts.drift-windows", "0",
                "alerts.drift-scopes", "all", "alerts.drift-min-window-total", "400"));
        assertEquals(0.05, c.drift().threshold());
        assertTrue(!c.drift().enabled(), "0 windows: no drift alerts");
        assertTrue(c.drift().allScopes());
        assertEquals(400, c.drift().minWindowTotal());
        assertEquals(c, JobConfig.from(c.toSettings()));
        for (Map<String, String> bad : java.util.List.of(Map.of("alerts.drift-threshold", "0"),
                Map.of("alerts.drift-threshold", "1.5"), Map.of("alerts.drift-windows", "-1"),
                Map.of("alerts.drift-min-window-total", "0"), Map.of("alerts.drift-scopes", "topics"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobConfig.from(bad), bad.toString());
            assertTrue(e.getMessage().contains(bad.keySet().iterator().next()), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> JobConfig.from(Map.of("topic.model-comparisons", "emotion-stats")));
        assertThrows(IllegalArgumentException.class, () -> JobConfig.from(Map.of("topic.drift-alerts", "emotion-alerts")));
    }
}
