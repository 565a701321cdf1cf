package com.emotionmonitor.job.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.emotionmonitor.job.drift.DriftReference;
import com.emotionmonitor.schema.Emotion;
import com.emotionmonitor.schema.EmotionStats;
import com.emotionmonitor.schema.StatsKind;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The statistics window operator exactly as the job builds it ({@link EmotionStatsWindows#windowed}), driven through
 * Flink's keyed operator harness: on-time firing, late re-firing with a new revision, late-beyond-lateness side
 * output, and no keyed state or timers left once a window is past its allowed lateness.
 */
class EmotionStatsWindowsTest {

    private static final Duration SIZE = Duration.ofMinutes(1);
    private static final Duration LATENESS = Duration.ofSeconds(30);
    private static final long END = 60_000L; // first window [0, 60000)
    private static final int EXAMPLES = 2;
    private static final Duration FLUSH = Duration.ofSeconds(10);
    private static int nextId;

    @Test
    void firesOnTimeRefiresForLateEventsAndCleansUp() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, ScopedEmotion, EmotionStats> h = windowHarness()) {
            h.open();
            h.processElement(scoped("global", Emotion.HAPPY, 0.8f, false), 1_000L);
            h.processElement(scoped("global", Emotion.NEUTRAL, 1f, true), 2_000L);
            h.processElement(scoped("topic:天气", Emotion.ANGRY, 0.6f, false), 3_000L);
            h.processElement(scoped("global", Emotion.SAD, 0.4f, false), 61_000L); // next window

            h.processWatermark(END - 1);
            List<EmotionStats> onTime = sorted(h.extractOutputValues());
            assertEquals(2, onTime.size());
            EmotionStats global = onTime.get(0);
            assertEquals("global", global.getScope());
            assertEquals(StatsKind.WINDOW, global.getKind());
            assertEquals(0, global.getRevision());
            assertEquals(2, global.getTotal());
            assertEquals(1, global.getCounts().getHappy());
            assertEquals(1, global.getCounts().getNeutral());
            assertEquals(1, global.getEmptyTextCount());
            assertEquals(0.8, global.getMeanConfidence(), 1e-6, "empty-text events carry no model confidence");
            assertEquals(0L, global.getWindowStart().toEpochMilli());
            assertEquals(END, global.getWindowEnd().toEpochMilli());
            EmotionStats topic = onTime.get(1);
            assertEquals("topic:天气", topic.getScope());
            assertEquals(1, topic.getCounts().getAngry());
            h.getOutput().clear();

            // Late but within the allowed lateness: the window fires again with all its events, as revision 1.
            h.processElement(scoped("global", Emotion.FEAR, 0.5f, false), 5_000L);
            List<EmotionStats> refired = h.extractOutputValues();
            assertEquals(1, refired.size());
            assertEquals(1, refired.get(0).getRevision());
            assertEquals(3, refired.get(0).getTotal());
            assertEquals(1, refired.get(0).getCounts().getFear());
            h.getOutput().clear();

            // Past the allowed lateness: the first window's state and timers are gone ...
            h.processWatermark(END - 1 + LATENESS.toMillis());
            assertEquals(0, h.extractOutputValues().size());
            // ... and a still later event goes to the side output instead of the window.
            h.processElement(scoped("global", Emotion.SURPRISE, 0.7f, false), 6_000L);
            List<StreamRecord<ScopedEmotion>> late = List.copyOf(h.getSideOutput(EmotionStatsWindows.LATE_EVENTS));
            assertEquals(1, late.size());
            assertEquals(6_000L, late.get(0).getTimestamp());

            // Only the second window of "global" is still open: its firing timer and its cleanup timer.
            assertEquals(2, h.numEventTimeTimers());
            h.processWatermark(2 * END - 1 + LATENESS.toMillis());
            List<EmotionStats> second = h.extractOutputValues();
            assertEquals(1, second.size());
            assertEquals(1, second.get(0).getTotal());
            assertEquals(0, h.numKeyedStateEntries(), "window state (accumulator + firing count) must be cleared");
            assertEquals(0, h.numEventTimeTimers(), "no timer may outlive its window");
        }
    }

    @Test
    void lateEventsAreGatheredPerWindowAndFlushedAsOneLateRecordEach() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, ScopedEmotion, EmotionStats> h =
                     ProcessFunctionTestHarnesses.forKeyedProcessFunction(new LateEventsToStats(SIZE, FLUSH, EXAMPLES),
                             ScopedEmotion::getScope, Types.STRING)) {
            h.setProcessingTime(1_000L);
            h.processElement(scoped("topic:x", Emotion.SURPRISE, 0.7f, false, "s-70"), 125_000L);
            h.processElement(scoped("topic:x", Emotion.SURPRISE, 0.9f, false, "s-90"), 130_000L);
            h.processElement(scoped("topic:x", Emotion.ANGRY, 0.6f, false, "a-60"), 65_000L); // an earlier window
            h.processElement(scoped("global", Emotion.SAD, 0.5f, false, "d-50"), 125_000L);
            h.setProcessingTime(1_000L + FLUSH.toMillis() - 1);
            assertEquals(0, h.extractOutputValues().size(), "nothing before the flush");
            assertEquals(2, h.numProcessingTimeTimers(), "one flush timer per scope, not one per event");
            assertEquals(2, h.numEventTimeTimers(), "and one end-of-input flush per scope");

            h.setProcessingTime(1_000L + FLUSH.toMillis());
            List<EmotionStats> late = h.extractOutputValues().stream()
                    .sorted(Comparator.comparing(EmotionStats::getScope).thenComparing(EmotionStats::getWindowStart)).toList();
            assertEquals(3, late.size(), "one LATE record per scope and window");
            EmotionStats x = late.get(2);
            assertEquals(StatsKind.LATE, x.getKind());
            assertEquals("topic:x", x.getScope());
            assertEquals(120_000L, x.getWindowStart().toEpochMilli());
            assertEquals(180_000L, x.getWindowEnd().toEpochMilli());
            assertEquals(2, x.getTotal());
            assertEquals(2, x.getCounts().getSurprise());
            assertEquals(List.of("s-90", "s-70"), x.getExamples().getSurprise());
            assertEquals(60_000L, late.get(1).getWindowStart().toEpochMilli());
            assertEquals(1, late.get(1).getCounts().getAngry());
            assertEquals("global", late.get(0).getScope());
            assertEquals(0, h.numKeyedStateEntries(), "a flush clears what it wrote");
            assertEquals(0, h.numProcessingTimeTimers());
            assertEquals(0, h.numEventTimeTimers(), "the flush cancels the end-of-input timer too");

            // The next late event starts a new gathering: it is never counted twice.
            h.getOutput().clear();
            h.processElement(scoped("topic:x", Emotion.SURPRISE, 0.8f, false, "s-80"), 126_000L);
            h.setProcessingTime(1_000L + 2 * FLUSH.toMillis());
            assertEquals(1, h.extractOutputValues().get(0).getTotal());

            // The input ends (a bounded run, a draining stop) before the flush is due: the final watermark flushes.
            h.getOutput().clear();
            h.processElement(scoped("global", Emotion.HAPPY, 0.9f, false, "h-90"), 70_000L);
            h.processWatermark(Long.MAX_VALUE);
            List<EmotionStats> atEnd = h.extractOutputValues();
            assertEquals(1, atEnd.size(), "gathered late events are not lost when the input ends");
            assertEquals(1, atEnd.get(0).getCounts().getHappy());
            assertEquals(0, h.numKeyedStateEntries());
            assertEquals(0, h.numProcessingTimeTimers(), "the end-of-input flush cancels the processing-time timer");
            assertEquals(0, h.numEventTimeTimers());

            // After the final watermark no timer fires again. A split that was idle while the other inputs finished
            // can still send records (a slow TLS start): each leaves at once instead of waiting for a timer.
            h.getOutput().clear();
            h.processElement(scoped("global", Emotion.SAD, 0.6f, false, "d-60"), 70_000L);
            h.processElement(scoped("global", Emotion.FEAR, 0.6f, false, "f-60"), 130_000L);
            List<EmotionStats> afterEnd = h.extractOutputValues();
            assertEquals(2, afterEnd.size(), "late events after the end of event time are not lost");
            assertEquals(1, afterEnd.get(0).getCounts().getSad());
            assertEquals(1, afterEnd.get(1).getCounts().getFear());
            assertEquals(0, h.numKeyedStateEntries());
            assertEquals(0, h.numProcessingTimeTimers());
            assertEquals(0, h.numEventTimeTimers());
        }
    }

    @Test
    void windowsKeepTheMostConfidentExampleIdsPerEmotion() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, ScopedEmotion, EmotionStats> h = windowHarness()) {
            h.open();
            h.processElement(scoped("global", Emotion.ANGRY, 0.50f, false, "a-50"), 1_000L);
            h.processElement(scoped("global", Emotion.ANGRY, 0.90f, false, "a-90"), 2_000L);
            h.processElement(scoped("global", Emotion.ANGRY, 0.70f, false, "a-70"), 3_000L);
            h.processElement(scoped("global", Emotion.ANGRY, 0.90f, false, "a-90-later"), 4_000L);
            h.processElement(scoped("global", Emotion.NEUTRAL, 1f, true, "n-empty"), 5_000L);
            h.processElement(scoped("global", Emotion.NEUTRAL, 0.40f, false, "n-40"), 6_000L);
            h.processWatermark(END - 1);
            EmotionStats s = h.extractOutputValues().get(0);
            assertEquals(List.of("a-90", "a-90-later"), s.getExamples().getAngry(), "best first, ties keep the earlier post, capped");
            assertEquals(List.of("n-40", "n-empty"), s.getExamples().getNeutral(), "empty-text posts rank last");
            assertEquals(List.of(), s.getExamples().getHappy());
            h.getOutput().clear();

            // A late re-firing keeps the window's examples and still ranks the newcomer.
            h.processElement(scoped("global", Emotion.ANGRY, 0.95f, false, "a-95-late"), 7_000L);
            assertEquals(List.of("a-95-late", "a-90"), h.extractOutputValues().get(0).getExamples().getAngry());
        }
    }

    @Test
    void windowsCarryTheirDriftAgainstTheReferencesOfTheVersionsThatLabelledThem() throws Exception {
        double[] uniform = {1 / 6.0, 1 / 6.0, 1 / 6.0, 1 / 6.0, 1 / 6.0, 1 / 6.0};
        double[] happy = {1, 0, 0, 0, 0, 0};
        DriftReference references = (name, version) -> switch (version) {
            case "v1" -> uniform;
            case "v2" -> happy;
            default -> null; // a version published before references existed
        };
        try (KeyedOneInputStreamOperatorTestHarness<String, ScopedEmotion, EmotionStats> h = windowHarness(references)) {
            h.open();
            for (Emotion e : Emotion.values()) { // one of each by v1: exactly its reference
                h.processElement(labelled("topic:even", e, "v1"), 1_000L);
            }
            for (int i = 0; i < 3; i++) { // v1 and v2 mixed (a canary), plus a post empty after cleaning
                h.processElement(labelled("topic:mixed", Emotion.HAPPY, "v1"), 2_000L);
            }
            h.processElement(labelled("topic:mixed", Emotion.HAPPY, "v2"), 2_000L);
            h.processElement(new ScopedEmotion("topic:mixed", Emotion.NEUTRAL.ordinal(), 1f, true, "e", "m", "v1"), 2_000L);
            h.processElement(labelled("topic:old", Emotion.SAD, "v1"), 3_000L);
            h.processElement(labelled("topic:old", Emotion.SAD, "v0"), 3_000L);
            h.processElement(new ScopedEmotion("topic:empty", Emotion.NEUTRAL.ordinal(), 1f, true, "e2", "m", "v1"), 3_000L);
            h.processWatermark(END - 1);
            java.util.Map<String, EmotionStats> byScope = new java.util.HashMap<>();
            h.extractOutputValues().forEach(st -> byScope.put(st.getScope(), st));

            assertEquals(0.0, byScope.get("topic:even").getDrift(), 1e-12, "the reference mix itself");
            assertEquals(List.of(uniform[0], uniform[1], uniform[2], uniform[3], uniform[4], uniform[5]),
                    byScope.get("topic:even").getDriftReference());

            EmotionStats mixed = byScope.get("topic:mixed");
            double[] mix = {0.75 / 6 + 0.25, 0.75 / 6, 0.75 / 6, 0.75 / 6, 0.75 / 6, 0.75 / 6};
            assertEquals(com.emotionmonitor.job.drift.JensenShannon.divergence(happy, mix), mixed.getDrift(), 1e-12,
                    "four model-labelled HAPPY posts (the empty-text NEUTRAL is no model's label) against 3/4 v1 + 1/4 v2");
            assertEquals(mix[0], mixed.getDriftReference().get(0), 1e-12);

            assertNull(byScope.get("topic:old").getDrift(), "a labelling version without a reference: no figure at all");
            assertNull(byScope.get("topic:old").getDriftReference());
            assertNull(byScope.get("topic:empty").getDrift(), "nothing model-labelled");
        }
    }

    private static ScopedEmotion labelled(String scope, Emotion e, String version) {
        return new ScopedEmotion(scope, e.ordinal(), 0.9f, false, "post-" + nextId++, "m", version);
    }

    @Test
    void emptyWindowsHaveNoMeanConfidence() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, ScopedEmotion, EmotionStats> h = windowHarness()) {
            h.open();
            h.processElement(scoped("global", Emotion.NEUTRAL, 1f, true), 1_000L);
            h.processWatermark(END - 1);
            assertNull(h.extractOutputValues().get(0).getMeanConfidence());
        }
    }

    @SuppressWarnings("unchecked")
    private static KeyedOneInputStreamOperatorTestHarness<String, ScopedEmotion, EmotionStats> windowHarness() throws Exception {
        return windowHarness(DriftReference.NONE);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ScopedEmotion, EmotionStats> windowHarness(
            DriftReference references) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataStream<ScopedEmotion> in = env.fromData(TypeInformation.of(ScopedEmotion.class), scoped("global", Emotion.HAPPY, 1f, false));
        SingleOutputStreamOperator<EmotionStats> windowed = EmotionStatsWindows.windowed(in, SIZE, LATENESS, EXAMPLES, references);
        OneInputTransformation<ScopedEmotion, EmotionStats> t =
                (OneInputTransformation<ScopedEmotion, EmotionStats>) windowed.getTransformation();
        return new KeyedOneInputStreamOperatorTestHarness<>(t.getOperatorFactory(), ScopedEmotion::getScope, Types.STRING,
                t.getInputType().createSerializer(env.getConfig().getSerializerConfig()));
    }

    private static ScopedEmotion scoped(String scope, Emotion e, float confidence, boolean empty) {
        return scoped(scope, e, confidence, empty, "post-" + nextId++);
    }

    private static ScopedEmotion scoped(String scope, Emotion e, float confidence, boolean empty, String postId) {
        return new ScopedEmotion(scope, e.ordinal(), confidence, empty, postId);
    }

    private static List<EmotionStats> sorted(List<EmotionStats> stats) {
        return stats.stream().sorted(Comparator.comparing(EmotionStats::getScope)).toList();
    }
}
