package com.emotionmonitor.job.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.data.JsonlPostReader;
import com.emotionmonitor.data.LabeledPost;
import com.emotionmonitor.data.OnError;
import com.emotionmonitor.schema.AlertKind;
import com.emotionmonitor.schema.AlertSeverity;
import com.emotionmonitor.schema.Emotion;
import com.emotionmonitor.schema.EmotionAlert;
import com.emotionmonitor.schema.EmotionCounts;
import com.emotionmonitor.schema.EmotionExamples;
import com.emotionmonitor.schema.EmotionStats;
import com.emotionmonitor.schema.StatsKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The alerting operator exactly as the job builds it ({@link SpikeAlerts#apply}), driven through Flink's keyed harness
 * with deterministic event time: one window's stats record per scope, then the watermark at the window's end, as the
 * window operator upstream emits them.
 */
class SpikeAlertFunctionTest {

    private static final long MINUTE = 60_000L;
    private static final SpikeDetectorConfig CONFIG = SpikeDetectorConfig.defaults();
    /** The usual_train label mix: happy, angry, sad, fear, surprise, neutral. */
    private static final double[] MIX = {0.19, 0.30, 0.18, 0.04, 0.08, 0.21};
    private static final double[] ANGRY_BURST = {0.10, 0.65, 0.08, 0.03, 0.04, 0.10};

    @Test
    void aSyntheticSpikeRaisesExactlyOneAlertAndOneRecovery() throws Exception {
        Random rnd = new Random(3);
        try (KeyedOneInputStreamOperatorTestHarness<String, EmotionStats, EmotionAlert> h = harness(CONFIG)) {
            h.open();
            for (int w = 0; w < 60; w++) {
                long[] c = EmotionMixes.sample(rnd, w >= 30 && w < 34 ? ANGRY_BURST : MIX, 200);
                h.processElement(window("global", w, c, 0), endOf(w) - 1);
                if (w == 30) {
                    // A late re-firing and a LATE record of the spiking window: neither may re-alert or shift the baseline.
                    h.processElement(window("global", w, c, 1), endOf(w) - 1);
                    h.processElement(late("global", w, Emotion.ANGRY), endOf(w) - 1);
                }
                h.processWatermark(endOf(w));
            }
            List<EmotionAlert> alerts = h.extractOutputValues();
            assertEquals(2, alerts.size(), alerts.toString());

            EmotionAlert spike = alerts.get(0);
            assertEquals(AlertKind.SPIKE, spike.getKind());
            assertEquals("global", spike.getScope());
            assertEquals(Emotion.ANGRY, spike.getEmotion());
            assertEquals(Instant.ofEpochMilli(30 * MINUTE), spike.getWindowStart());
            assertEquals(Instant.ofEpochMilli(31 * MINUTE), spike.getWindowEnd());
            assertEquals(200, spike.getWindowTotal());
            assertTrue(spike.getObserved() > 0.5 && spike.getBaseline() < 0.4, spike.toString());
            assertTrue(spike.getScore() >= CONFIG.zMedium(), "a 35-point jump on 200 posts is at least MEDIUM: " + spike);
            assertNotEquals(AlertSeverity.LOW, spike.getSeverity());
            assertEquals(List.of("global-30-angry-1", "global-30-angry-2", "global-30-angry-3"), spike.getExamplePostIds(),
                    "the window's example ids of the spiking emotion");

            EmotionAlert recovery = alerts.get(1);
            assertEquals(AlertKind.RECOVERY, recovery.getKind());
            assertEquals(Emotion.ANGRY, recovery.getEmotion());
            assertTrue(recovery.getWindowStart().toEpochMilli() >= 34 * MINUTE, "recovers once the burst is over: " + recovery);
            assertTrue(recovery.getScore() < CONFIG.recoveryZ());
            assertEquals(spike.getSeverity(), recovery.getSeverity(), "a recovery reports the severity of the spike it closes");
            assertEquals(spike.getBaseline(), recovery.getBaseline(), 1e-12, "the baseline was frozen during the episode");
        }
    }

    @Test
    void stateAndTimersReturnToZeroAfterTheIdleTimeout() throws Exception {
        Random rnd = new Random(7);
        long idle = CONFIG.idleTimeoutMillis();
        try (KeyedOneInputStreamOperatorTestHarness<String, EmotionStats, EmotionAlert> h = harness(CONFIG)) {
            h.open();
            for (int w = 0; w < 10; w++) {
                h.processElement(window("global", w, EmotionMixes.sample(rnd, MIX, 200), 0), endOf(w) - 1);
                if (w < 5) {
                    h.processElement(window("topic:高考", w, EmotionMixes.sample(rnd, MIX, 40), 0), endOf(w) - 1);
                }
                h.processWatermark(endOf(w));
                assertEquals(2, h.numKeyedStateEntries(), "one baseline per scope, window " + w);
                assertEquals(2, h.numEventTimeTimers(), "one idle timer per scope, moved forward, never piled up");
            }
            // The topic stopped after window 4: its baseline goes when the watermark reaches its last window + idle.
            h.processWatermark(endOf(4) + idle - 1);
            assertEquals(2, h.numKeyedStateEntries(), "not idle long enough yet");
            h.processWatermark(endOf(4) + idle);
            assertEquals(1, h.numKeyedStateEntries());
            assertEquals(1, h.numEventTimeTimers());
            // global stopped after window 9 (end of the stream, or a quiet night).
            h.processWatermark(endOf(9) + idle);
            assertEquals(0, h.numKeyedStateEntries(), "no baseline outlives its scope");
            assertEquals(0, h.numEventTimeTimers(), "no timer outlives its scope");
            assertEquals(0, h.extractOutputValues().size(), "natural windows, no alert");

            // Late re-firings and LATE records of long-closed windows must not bring a dropped scope back.
            h.processElement(window("global", 9, EmotionMixes.sample(rnd, MIX, 200), 1), endOf(9) - 1);
            h.processElement(late("global", 9, Emotion.ANGRY), endOf(9) - 1);
            assertEquals(0, h.numKeyedStateEntries(), "only on-time windows create a baseline");

            // A scope that comes back starts from scratch (warm-up again) and keeps working.
            h.processElement(window("topic:高考", 200, EmotionMixes.sample(rnd, MIX, 40), 0), endOf(200) - 1);
            assertEquals(1, h.numKeyedStateEntries());
            assertEquals(1, h.numEventTimeTimers());
        }
    }

    @Test
    void anEpisodeWhoseScopeGoesSilentIsClosedWhenItsStateIsDropped() throws Exception {
        Random rnd = new Random(17);
        try (KeyedOneInputStreamOperatorTestHarness<String, EmotionStats, EmotionAlert> h = harness(CONFIG)) {
            h.open();
            for (int w = 0; w < 12; w++) {
                h.processElement(window("topic:地震", w, EmotionMixes.sample(rnd, w == 11 ? ANGRY_BURST : MIX, 200), 0), endOf(w) - 1);
                h.processWatermark(endOf(w));
            }
            assertEquals(List.of(AlertKind.SPIKE), kinds(h.extractOutputValues()));
            h.getOutput().clear();

            h.processWatermark(endOf(11) + CONFIG.idleTimeoutMillis());
            List<EmotionAlert> closed = h.extractOutputValues();
            assertEquals(List.of(AlertKind.RECOVERY), kinds(closed));
            assertEquals(Emotion.ANGRY, closed.get(0).getEmotion());
            assertEquals(0, closed.get(0).getWindowTotal(), "a silent recovery has no window of posts");
            assertEquals(Instant.ofEpochMilli(endOf(11)), closed.get(0).getWindowStart());
            assertEquals(Instant.ofEpochMilli(endOf(11) + CONFIG.idleTimeoutMillis()), closed.get(0).getWindowEnd());
            assertEquals(0, h.numKeyedStateEntries());
            assertEquals(0, h.numEventTimeTimers());
        }
    }

    /**
     * A topic of 40 posts a window where fear is normally 0 or 1 post: a window with 7 fear posts (a jump from ~1% to
     * 17%: lift and z far above their thresholds) does not alert because 7 is below the minimum count of 8; the same
     * window with 8 does, so it is the minimum count that holds the alert back. Windows below the minimum total never
     * alert at all.
     */
    @Test
    void aSmallTopicNeverAlertsBelowTheMinimumCount() throws Exception {
        assertEquals(8, CONFIG.minEmotionCount());
        assertEquals(0, alertsOnSmallTopic(7), "7 fear posts < min-emotion-count");
        assertEquals(1, alertsOnSmallTopic(8), "control: at the minimum count the same jump alerts once");

        Random rnd = new Random(5);
        try (KeyedOneInputStreamOperatorTestHarness<String, EmotionStats, EmotionAlert> h = harness(CONFIG)) {
            h.open();
            for (int w = 0; w < 500; w++) {
                // 12 posts a window, every fifth window all fear: huge swings, far too few posts.
                long[] c = w % 5 == 4 ? new long[] {0, 0, 0, 12, 0, 0} : EmotionMixes.sample(rnd, MIX, 12);
                h.processElement(window("topic:小众", w, c, 0), endOf(w) - 1);
                h.processWatermark(endOf(w));
            }
            assertEquals(0, h.extractOutputValues().size());
        }
    }

    private static int alertsOnSmallTopic(long fearInSpikeWindows) throws Exception {
        Random rnd = new Random(23);
        try (KeyedOneInputStreamOperatorTestHarness<String, EmotionStats, EmotionAlert> h = harness(CONFIG)) {
            h.open();
            for (int w = 0; w < 200; w++) {
                long[] c;
                if (w == 150) {
                    long rest = 40 - fearInSpikeWindows;
                    c = new long[] {rest / 4, rest - 3 * (rest / 4), rest / 4, fearInSpikeWindows, 0, rest / 4};
                } else {
                    c = EmotionMixes.sample(rnd, new double[] {0.2, 0.3, 0.2, 0.01, 0.09, 0.2}, 40);
                    c[1] += Math.max(0, c[3] - 1); // at most one fear post in a normal window
                    c[3] = Math.min(c[3], 1);
                }
                h.processElement(window("topic:小众", w, c, 0), endOf(w) - 1);
                h.processWatermark(endOf(w));
            }
            return (int) h.extractOutputValues().stream().filter(a -> a.getKind() == AlertKind.SPIKE).count();
        }
    }

    /**
     * Normal fluctuation from real posts: usual_eval's gold labels in their natural mix, shuffled and cut into windows
     * of 30 (the smallest judged), 100 and 400 posts, 3,000 windows each, through the operator. Prints the measured
     * false-alert rate; with the default thresholds it is zero.
     */
    @Test
    void aLongNaturalReplayOfRealPostsRaisesNoAlert() throws Exception {
        List<Emotion> labels = new ArrayList<>();
        for (LabeledPost p : JsonlPostReader.readAll(SpikeDetectorTest.sharedData().resolve("smp2020-ewect/usual_eval.jsonl"),
                OnError.FAIL).posts()) {
            labels.add(Emotion.valueOf(com.emotionmonitor.model.Emotion.fromLabel(p.label()).name()));
        }
        int windowsPerSize = 3000;
        int totalAlerts = 0;
        int totalWindows = 0;
        for (int size : new int[] {30, 100, 400}) {
            Random rnd = new Random(11 + size);
            try (KeyedOneInputStreamOperatorTestHarness<String, EmotionStats, EmotionAlert> h = harness(CONFIG)) {
                h.open();
                int w = 0;
                while (w < windowsPerSize) {
                    Collections.shuffle(labels, rnd);
                    for (int from = 0; from + size <= labels.size() && w < windowsPerSize; from += size, w++) {
                        long[] c = new long[6];
                        labels.subList(from, from + size).forEach(e -> c[e.ordinal()]++);
                        h.processElement(window("global", w, c, 0), endOf(w) - 1);
                        h.processWatermark(endOf(w));
                    }
                }
                int alerts = h.extractOutputValues().size();
                System.out.printf("natural replay (usual_eval gold labels, windows of %d posts): %d alerts over %d windows x 6 emotions"
                        + " (false-alert rate %.5f per window)%n", size, alerts, w, (double) alerts / w);
                totalAlerts += alerts;
                totalWindows += w;
            }
        }
        System.out.printf("natural replay total: %d false alerts in %d windows (%d window-emotion tests): rate %.2e per window;"
                + " 95%% upper bound %.2e%n", totalAlerts, totalWindows, totalWindows * 6, (double) totalAlerts / totalWindows,
                totalAlerts == 0 ? 3.0 / totalWindows : Double.NaN);
        assertEquals(0, totalAlerts);
    }

    @SuppressWarnings("unchecked")
    static KeyedOneInputStreamOperatorTestHarness<String, EmotionStats, EmotionAlert> harness(SpikeDetectorConfig config)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        OneInputTransformation<EmotionStats, EmotionAlert> t = (OneInputTransformation<EmotionStats, EmotionAlert>)
                SpikeAlerts.apply(env.fromData(new AvroTypeInfo<>(EmotionStats.class), window("global", 0, new long[6], 0)), config)
                        .getTransformation();
        return new KeyedOneInputStreamOperatorTestHarness<>(t.getOperatorFactory(), EmotionStats::getScope, Types.STRING,
                t.getInputType().createSerializer(env.getConfig().getSerializerConfig()));
    }

    private static long endOf(int window) {
        return (window + 1) * MINUTE;
    }

    /** The stats record of window {@code w} with example ids named after scope, window and emotion. */
    static EmotionStats window(String scope, int w, long[] c, int revision) {
        long total = 0;
        for (long x : c) {
            total += x;
        }
        return EmotionStats.newBuilder()
                .setScope(scope)
                .setKind(StatsKind.WINDOW)
                .setWindowStart(Instant.ofEpochMilli(w * MINUTE))
                .setWindowEnd(Instant.ofEpochMilli(endOf(w)))
                .setRevision(revision)
                .setCounts(new EmotionCounts(c[0], c[1], c[2], c[3], c[4], c[5]))
                .setTotal(total)
                .setEmittedAt(Instant.EPOCH)
                .setExamples(new EmotionExamples(ids(scope, w, "happy", c[0]), ids(scope, w, "angry", c[1]),
                        ids(scope, w, "sad", c[2]), ids(scope, w, "fear", c[3]), ids(scope, w, "surprise", c[4]),
                        ids(scope, w, "neutral", c[5])))
                .build();
    }

    /** A LATE record of one event: 100% of one emotion, which the detector must not read as a window. */
    private static EmotionStats late(String scope, int w, Emotion e) {
        long[] c = new long[6];
        c[e.ordinal()] = 1;
        EmotionStats s = window(scope, w, c, 0);
        s.setKind(StatsKind.LATE);
        return s;
    }

    private static List<String> ids(String scope, int w, String emotion, long count) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= Math.min(3, count); i++) {
            ids.add(scope + "-" + w + "-" + emotion + "-" + i);
        }
        return ids;
    }

    private static List<AlertKind> kinds(List<EmotionAlert> alerts) {
        return alerts.stream().map(EmotionAlert::getKind).toList();
    }
}
