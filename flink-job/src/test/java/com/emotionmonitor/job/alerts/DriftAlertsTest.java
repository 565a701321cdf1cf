package com.emotionmonitor.job.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.data.JsonlPostReader;
import com.emotionmonitor.data.LabeledPost;
import com.emotionmonitor.data.OnError;
import com.emotionmonitor.job.drift.JensenShannon;
import com.emotionmonitor.schema.DriftAlert;
import com.emotionmonitor.schema.DriftAlertKind;
import com.emotionmonitor.schema.EmotionAlert;
import com.emotionmonitor.schema.EmotionStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Drift alerts of the alert function exactly as the job builds it ({@link SpikeAlerts#apply} with drift on), through
 * Flink's keyed harness: one DRIFT per sustained divergence and one RECOVERY when it ends, nothing for one odd window,
 * for a topic scope, or without a reference; the silent close and state cleanup; no false alert on real label mixes.
 */
class DriftAlertsTest {

    private static final long MINUTE = 60_000L;
    private static final DriftDetectorConfig DRIFT = DriftDetectorConfig.defaults();
    /** The usual_train label mix: happy, angry, sad, fear, surprise, neutral. */
    private static final double[] MIX = {0.19, 0.30, 0.18, 0.04, 0.08, 0.21};
    /** Half the posts moved to FEAR: a divergence of about 0.2 from MIX. */
    private static final double[] FEARFUL = {0.095, 0.15, 0.09, 0.52, 0.04, 0.105};

    @Test
    void aSustainedDivergenceRaisesOneDriftAndItsEndOneRecovery() throws Exception {
        Random rnd = new Random(3);
        try (KeyedOneInputStreamOperatorTestHarness<String, EmotionStats, EmotionAlert> h = harness(DRIFT)) {
            h.open();
            for (int w = 0; w < 50; w++) {
                boolean drifted = (w >= 20 && w < 30) || w == 10; // window 10 alone: one odd window is no drift
                h.processElement(withDrift(SpikeAlertFunctionTest.window("global", w, EmotionMixes.sample(rnd, drifted ? FEARFUL : MIX, 200), 0),
                        MIX), endOf(w) - 1);
                h.processWatermark(endOf(w));
            }
            List<DriftAlert> alerts = driftAlerts(h);
            assertEquals(List.of(DriftAlertKind.DRIFT, DriftAlertKind.RECOVERY), alerts.stream().map(DriftAlert::getKind).toList(),
                    alerts.toString());
            DriftAlert drift = alerts.get(0);
            assertEquals("global", drift.getScope());
            assertEquals(Instant.ofEpochMilli(22 * MINUTE), drift.getWindowStart(), "the third drifted window in a row");
            assertEquals(DRIFT.windows(), drift.getWindows());
            assertTrue(drift.getDivergence() >= DRIFT.threshold() && drift.getMeanDivergence() >= DRIFT.threshold(), drift.toString());
            assertEquals(DRIFT.threshold(), drift.getThreshold());
            assertEquals(200, drift.getWindowTotal());
            assertTrue(drift.getObservedShares().get(3) > 0.4, "fear's share: " + drift.getObservedShares());
            assertEquals(MIX[3], drift.getReferenceShares().get(3), 1e-12);
            DriftAlert recovery = alerts.get(1);
            assertEquals(Instant.ofEpochMilli(32 * MINUTE), recovery.getWindowStart(), "three windows back below the threshold");
            assertTrue(recovery.getMeanDivergence() < DRIFT.threshold());
        }
    }

    @Test
    void onlyTheGlobalScopeIsJudgedByDefaultAndNeverWithoutAFigureOrEnoughPosts() throws Exception {
        Random rnd = new Random(5);
        try (KeyedOneInputStreamOperatorTestHarness<String, EmotionStats, EmotionAlert> h = harness(DRIFT)) {
            h.open();
            for (int w = 0; w < 10; w++) {
                h.processElement(withDrift(SpikeAlertFunctionTest.window("topic:地震", w, EmotionMixes.sample(rnd, FEARFUL, 200), 0), MIX),
                        endOf(w) - 1);
                h.processElement(SpikeAlertFunctionTest.window("global", w, EmotionMixes.sample(rnd, FEARFUL, 200), 0), endOf(w) - 1);
                h.processWatermark(endOf(w));
            }
            for (int w = 10; w < 20; w++) { // drifted, but 60 posts: below the minimum total
                h.processElement(withDrift(SpikeAlertFunctionTest.window("global", w, EmotionMixes.sample(rnd, FEARFUL, 60), 0), MIX),
                        endOf(w) - 1);
                h.processWatermark(endOf(w));
            }
            assertEquals(List.of(), driftAlerts(h), "a topic's own mix, a window without a reference, a small window");
        }
        DriftDetectorConfig everyScope = new DriftDetectorConfig(DRIFT.threshold(), DRIFT.windows(), true, DRIFT.minWindowTotal());
        try (KeyedOneInputStreamOperatorTestHarness<String, EmotionStats, EmotionAlert> h = harness(everyScope)) {
            h.open();
            for (int w = 0; w < 3; w++) {
                h.processElement(withDrift(SpikeAlertFunctionTest.window("topic:地震", w, EmotionMixes.sample(rnd, FEARFUL, 200), 0), MIX),
                        endOf(w) - 1);
                h.processWatermark(endOf(w));
            }
            assertEquals(1, driftAlerts(h).size(), "control: with alerts.drift-scopes=all the topic alerts");
        }
    }

    @Test
    void anOpenEpisodeIsClosedWhenItsScopeGoesSilentAndNothingIsLeft() throws Exception {
        Random rnd = new Random(7);
        SpikeDetectorConfig spikes = SpikeDetectorConfig.defaults();
        try (KeyedOneInputStreamOperatorTestHarness<String, EmotionStats, EmotionAlert> h = harness(DRIFT)) {
            h.open();
            for (int w = 0; w < 3; w++) {
                h.processElement(withDrift(SpikeAlertFunctionTest.window("global", w, EmotionMixes.sample(rnd, FEARFUL, 200), 0), MIX),
                        endOf(w) - 1);
                h.processWatermark(endOf(w));
            }
            assertEquals(1, driftAlerts(h).size());
            assertEquals(1, h.numKeyedStateEntries(), "drift shares the scope's one state entry");
            assertEquals(1, h.numEventTimeTimers(), "and its one idle timer");
            h.processWatermark(endOf(2) + spikes.idleTimeoutMillis());
            List<DriftAlert> alerts = driftAlerts(h);
            assertEquals(2, alerts.size());
            DriftAlert silent = alerts.get(1);
            assertEquals(DriftAlertKind.RECOVERY, silent.getKind());
            assertEquals(0, silent.getWindowTotal());
            assertEquals(Instant.ofEpochMilli(endOf(2)), silent.getWindowStart());
            assertEquals(0, h.numKeyedStateEntries());
            assertEquals(0, h.numEventTimeTimers());
        }
    }

    /**
     * Real label mixes: usual_eval's and virus_eval's gold labels (both in the domain of the training data) shuffled
     * into windows of 100 and 400 posts, 3,000 each, judged against the training mix of the served model
     * (usual_train + virus_train twice). Prints the divergences measured; with the defaults no window run alerts.
     */
    @Test
    void aLongNaturalReplayOfRealLabelsRaisesNoDriftAlert() throws Exception {
        double[] reference = new double[6];
        for (String file : List.of("usual_train.jsonl", "virus_train.jsonl", "virus_train.jsonl")) {
            labels(file).forEach(e -> reference[e]++);
        }
        int alerts = 0;
        for (String file : List.of("usual_eval.jsonl", "virus_eval.jsonl")) {
            List<Integer> labels = labels(file);
            for (int size : new int[] {100, 400}) {
                Random rnd = new Random(size);
                double[] drift = new double[3000];
                try (KeyedOneInputStreamOperatorTestHarness<String, EmotionStats, EmotionAlert> h = harness(DRIFT)) {
                    h.open();
                    int w = 0;
                    while (w < drift.length) {
                        Collections.shuffle(labels, rnd);
                        for (int from = 0; from + size <= labels.size() && w < drift.length; from += size, w++) {
                            long[] c = new long[6];
                            labels.subList(from, from + size).forEach(e -> c[e]++);
                            EmotionStats s = withDrift(SpikeAlertFunctionTest.window("global", w, c, 0), reference);
                            drift[w] = s.getDrift();
                            h.processElement(s, endOf(w) - 1);
                            h.processWatermark(endOf(w));
                        }
                    }
                    int raised = driftAlerts(h).size();
                    Arrays.sort(drift);
                    System.out.printf("drift replay (%s gold labels, windows of %d posts): mean %.4f, p99 %.4f, max %.4f;"
                                    + " %d drift alerts in %d windows%n", file, size, Arrays.stream(drift).average().orElse(0),
                            drift[(int) (0.99 * drift.length)], drift[drift.length - 1], raised, w);
                    alerts += raised;
                }
            }
        }
        assertEquals(0, alerts);
    }

    /** The stats record with the drift the window operator gives it against {@code reference} (no empty-text posts here). */
    static EmotionStats withDrift(EmotionStats s, double[] reference) {
        long[] c = com.emotionmonitor.job.ops.EmotionStatsFields.counts(s.getCounts());
        double[] observed = Arrays.stream(c).asDoubleStream().toArray();
        double sum = Arrays.stream(reference).sum();
        List<Double> shares = new ArrayList<>();
        for (double r : reference) {
            shares.add(r / sum);
        }
        s.setDrift(JensenShannon.divergence(observed, reference));
        s.setDriftReference(shares);
        return s;
    }

    private static List<Integer> labels(String file) throws Exception {
        List<Integer> out = new ArrayList<>();
        for (LabeledPost p : JsonlPostReader.readAll(SpikeDetectorTest.sharedData().resolve("smp2020-ewect/" + file), OnError.FAIL)
                .posts()) {
            out.add(com.emotionmonitor.model.Emotion.fromLabel(p.label()).ordinal());
        }
        return out;
    }

    private static List<DriftAlert> driftAlerts(KeyedOneInputStreamOperatorTestHarness<String, EmotionStats, EmotionAlert> h) {
        List<DriftAlert> out = new ArrayList<>();
        for (StreamRecord<DriftAlert> r : h.getSideOutput(SpikeAlertFunction.DRIFT_ALERTS) == null
                ? List.<StreamRecord<DriftAlert>>of() : h.getSideOutput(SpikeAlertFunction.DRIFT_ALERTS)) {
            out.add(r.getValue());
        }
        return out;
    }

    private static long endOf(int window) {
        return (window + 1) * MINUTE;
    }

    @SuppressWarnings("unchecked")
    private static KeyedOneInputStreamOperatorTestHarness<String, EmotionStats, EmotionAlert> harness(DriftDetectorConfig drift)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        OneInputTransformation<EmotionStats, EmotionAlert> t = (OneInputTransformation<EmotionStats, EmotionAlert>)
                SpikeAlerts.apply(env.fromData(new AvroTypeInfo<>(EmotionStats.class),
                        SpikeAlertFunctionTest.window("global", 0, new long[6], 0)), SpikeDetectorConfig.defaults(), drift)
                        .getTransformation();
        return new KeyedOneInputStreamOperatorTestHarness<>(t.getOperatorFactory(), EmotionStats::getScope, Types.STRING,
                t.getInputType().createSerializer(env.getConfig().getSerializerConfig()));
    }
}
