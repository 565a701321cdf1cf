package com.emotionmonitor.job.alerts;

import com.emotionmonitor.data.SharedData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.data.JsonlPostReader;
import com.emotionmonitor.data.LabeledPost;
import com.emotionmonitor.data.OnError;
import com.emotionmonitor.model.Emotion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpikeDetectorTest {

    private static final SpikeDetectorConfig CONFIG = SpikeDetectorConfig.defaults();
    /** The usual_train label mix: happy, angry, sad, fear, surprise, neutral. */
    private static final double[] MIX = {0.19, 0.30, 0.18, 0.04, 0.08, 0.21};

    private static long sum(long[] c) {
        long s = 0;
        for (long x : c) {
            s += x;
        }
        return s;
    }

    @Test
    void aSyntheticAngerSpikeRaisesExactlyOneAlertAndOneRecovery() {
        SpikeDetector d = new SpikeDetector(CONFIG);
        ScopeBaseline state = new ScopeBaseline();
        Random rnd = new Random(3);
        double[] angry = {0.10, 0.65, 0.08, 0.03, 0.04, 0.10};
        List<SpikeDetector.Decision> all = new ArrayList<>();
        for (int w = 0; w < 60; w++) {
            double[] mix = w >= 30 && w < 34 ? angry : MIX;
            long[] c = EmotionMixes.sample(rnd, mix, 200);
            all.addAll(d.observe(state, c, sum(c), (w + 1) * 60_000L));
        }
        assertEquals(2, all.size(), all.toString());
        assertEquals(SpikeDetector.Kind.SPIKE, all.get(0).kind());
        assertEquals(Emotion.ANGRY, all.get(0).emotion());
        assertTrue(all.get(0).observed() > 0.5 && all.get(0).baseline() < 0.4, all.get(0).toString());
        assertTrue(all.get(0).severity() != SpikeDetector.Severity.LOW, "a 35-point jump on 200 posts is at least MEDIUM");
        assertEquals(SpikeDetector.Kind.RECOVERY, all.get(1).kind());
        assertEquals(Emotion.ANGRY, all.get(1).emotion());
    }

    @Test
    void aSmallTopicNeverAlertsBelowTheMinimumCount() {
        SpikeDetector d = new SpikeDetector(CONFIG);
        ScopeBaseline state = new ScopeBaseline();
        Random rnd = new Random(5);
        int alerts = 0;
        for (int w = 0; w < 500; w++) {
            // 12 posts a window, and every fifth window is all fear: huge swings, too few posts
            long[] c = w % 5 == 4 ? new long[] {0, 0, 0, 12, 0, 0} : EmotionMixes.sample(rnd, MIX, 12);
            alerts += d.observe(state, c, sum(c), w * 60_000L).size();
        }
        assertEquals(0, alerts);
    }

    @Test
    void theBaselineDoesNotLearnAnOngoingSpike() {
        SpikeDetector d = new SpikeDetector(CONFIG);
        ScopeBaseline state = new ScopeBaseline();
        Random rnd = new Random(9);
        for (int w = 0; w < 20; w++) {
            long[] c = EmotionMixes.sample(rnd, MIX, 200);
            d.observe(state, c, sum(c), w);
        }
        double before = state.mean[Emotion.FEAR.ordinal()];
        for (int w = 20; w < 40; w++) {
            long[] c = EmotionMixes.sample(rnd, new double[] {0.15, 0.2, 0.15, 0.3, 0.05, 0.15}, 200);
            d.observe(state, c, sum(c), w);
        }
        assertEquals(before, state.mean[Emotion.FEAR.ordinal()], 1e-12, "frozen while alerting");
        assertEquals(ScopeBaseline.ALERTING, state.status[Emotion.FEAR.ordinal()]);
    }

    @Test
    void windowsBelowTheMinimumTotalNeitherSeedNorMoveTheBaseline() {
        SpikeDetector d = new SpikeDetector(CONFIG);
        ScopeBaseline state = new ScopeBaseline();
        // A 3-post first window (a replay's ragged start) that is all fear: it must not become the baseline.
        assertEquals(List.of(), d.observe(state, new long[] {0, 0, 0, 3, 0, 0}, 3, 60_000L));
        assertEquals(0, state.windows);
        assertEquals(60_000L, state.lastWindowEnd, "still counts as activity for the idle timeout");
        d.observe(state, new long[] {40, 60, 40, 10, 10, 40}, 200, 120_000L);
        assertEquals(0.05, state.mean[Emotion.FEAR.ordinal()], 1e-12, "the first judged window seeds the baseline");
    }

    @Test
    void duringTheWarmUpTheBaselineIsThePlainMeanAndVarianceOfTheWindows() {
        SpikeDetector d = new SpikeDetector(CONFIG);
        ScopeBaseline state = new ScopeBaseline();
        long[] angry = {20, 40, 60, 80};
        for (int w = 0; w < angry.length; w++) {
            d.observe(state, new long[] {50, angry[w], 30, 10, 10, 100 - angry[w]}, 200, w * 60_000L);
        }
        // shares 0.1, 0.2, 0.3, 0.4: mean 0.25, population variance 0.0125 (an EWMA started at the first window would
        // give that window weight 0.9^3 = 0.73 instead of 1/4)
        assertEquals(0.25, state.mean[Emotion.ANGRY.ordinal()], 1e-12);
        assertEquals(0.0125, state.variance[Emotion.ANGRY.ordinal()], 1e-12);
    }

    /**
     * Normal fluctuation from real posts: usual_eval's gold labels in their natural mix, shuffled and
     * cut into windows of 100, replayed for 2,000 windows. Prints the measured false-alert rate.
     */
    @Test
    void aLongNaturalReplayOfRealPostsRaisesNoAlert() throws Exception {
        Path eval = sharedData().resolve("smp2020-ewect/usual_eval.jsonl");
        List<Emotion> labels = new ArrayList<>();
        for (LabeledPost p : JsonlPostReader.readAll(eval, OnError.FAIL).posts()) {
            labels.add(Emotion.fromLabel(p.label()));
        }
        SpikeDetector d = new SpikeDetector(CONFIG);
        ScopeBaseline state = new ScopeBaseline();
        Random rnd = new Random(11);
        int windows = 0;
        int alerts = 0;
        while (windows < 2000) {
            Collections.shuffle(labels, rnd);
            for (int from = 0; from + 100 <= labels.size() && windows < 2000; from += 100) {
                long[] c = new long[6];
                labels.subList(from, from + 100).forEach(e -> c[e.ordinal()]++);
                alerts += d.observe(state, c, 100, windows * 60_000L).size();
                windows++;
            }
        }
        System.out.printf("natural replay: %d alerts over %d windows x 6 emotions (false-alert rate %.5f per window)%n",
                alerts, windows, (double) alerts / windows);
        assertEquals(0, alerts);
    }

    static Path sharedData() {
        return SharedData.locate();
    }
}
