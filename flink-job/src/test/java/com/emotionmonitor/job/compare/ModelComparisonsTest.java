package com.emotionmonitor.job.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.emotionmonitor.job.ops.ClassifiedPost;
import com.emotionmonitor.job.ops.ShadowLabel;
import com.emotionmonitor.schema.Disagreement;
import com.emotionmonitor.schema.Emotion;
import com.emotionmonitor.schema.EmotionCounts;
import com.emotionmonitor.schema.EmotionEvent;
import com.emotionmonitor.schema.ModelComparison;
import com.emotionmonitor.schema.StatsKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The shadow comparison windows exactly as the job builds them ({@link ModelComparisons#windowed}), through Flink's
 * keyed harness: counts, agreement, the 6 x 6 confusion, the most confident disagreements, one record per version
 * pair, the late re-firing, and no state or timer left once a window is past its lateness.
 */
class ModelComparisonsTest {

    private static final Duration SIZE = Duration.ofMinutes(1);
    private static final Duration LATENESS = Duration.ofSeconds(30);
    private static final long END = 60_000L;

    @Test
    void aWindowComparesTheTwoLabelsOfEveryShadowedPostThenCleansUp() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, ScopedComparison, ModelComparison> h = harness()) {
            h.open();
            h.processElement(pair("global", "v2", "agree-1", Emotion.HAPPY, 0.9f, Emotion.HAPPY, 0.8f), 1_000L);
            h.processElement(pair("global", "v2", "agree-2", Emotion.SAD, 0.7f, Emotion.SAD, 0.6f), 2_000L);
            h.processElement(pair("global", "v2", "unsure", Emotion.ANGRY, 0.9f, Emotion.FEAR, 0.4f), 3_000L);
            h.processElement(pair("global", "v2", "both-sure", Emotion.ANGRY, 0.8f, Emotion.SURPRISE, 0.9f), 4_000L);
            h.processElement(pair("global", "v2", "tie-later", Emotion.HAPPY, 0.8f, Emotion.NEUTRAL, 0.95f), 5_000L);
            h.processElement(pair("global", "v3", "other-pair", Emotion.HAPPY, 0.9f, Emotion.SAD, 0.9f), 6_000L);
            h.processWatermark(END - 1);
            List<ModelComparison> out = sorted(h.extractOutputValues());
            assertEquals(2, out.size(), "one record per version pair: " + out);

            ModelComparison c = out.get(0);
            assertEquals("global", c.getScope());
            assertEquals(StatsKind.WINDOW, c.getKind());
            assertEquals(0, c.getRevision());
            assertEquals("v1", c.getServingVersion());
            assertEquals("v2", c.getShadowVersion());
            assertEquals(5, c.getCompared());
            assertEquals(2, c.getAgreed());
            assertEquals(0.4, c.getAgreement(), 1e-12);
            assertEquals(1, c.getConfusion().get(Emotion.ANGRY.ordinal()).get(Emotion.FEAR.ordinal()));
            assertEquals(1, c.getConfusion().get(Emotion.HAPPY.ordinal()).get(Emotion.HAPPY.ordinal()));
            assertEquals(5, c.getConfusion().stream().flatMap(List::stream).mapToLong(Long::longValue).sum());
            assertEquals(new EmotionCounts(2L, 2L, 1L, 0L, 0L, 0L), c.getServingCounts(), "the rows");
            assertEquals(new EmotionCounts(1L, 0L, 1L, 1L, 1L, 1L), c.getShadowCounts(), "the columns");
            assertEquals(List.of("both-sure", "tie-later"), c.getDisagreements().stream().map(Disagreement::getPostId).toList(),
                    "ranked by the lower confidence (0.8 twice: the earlier first), capped at 2");
            Disagreement d = c.getDisagreements().get(0);
            assertEquals(Emotion.ANGRY, d.getServingEmotion());
            assertEquals(Emotion.SURPRISE, d.getShadowEmotion());
            assertEquals(0.9f, d.getShadowConfidence());
            assertEquals("v3", out.get(1).getShadowVersion());
            assertEquals(1, out.get(1).getCompared());
            h.getOutput().clear();

            // Late within the lateness: the window fires again with all its posts.
            h.processElement(pair("global", "v2", "late", Emotion.SAD, 0.9f, Emotion.SAD, 0.9f), 7_000L);
            ModelComparison again = h.extractOutputValues().get(0);
            assertEquals(1, again.getRevision());
            assertEquals(6, again.getCompared());
            h.getOutput().clear();

            h.processWatermark(END - 1 + LATENESS.toMillis());
            h.processElement(pair("global", "v2", "too-late", Emotion.SAD, 0.9f, Emotion.SAD, 0.9f), 8_000L);
            assertEquals(1, h.getSideOutput(ModelComparisons.LATE_COMPARISONS).size(), "beyond the lateness: to the LATE path");
            assertEquals(0, h.numKeyedStateEntries(), "no comparison state outlives its window");
            assertEquals(0, h.numEventTimeTimers(), "no timer either");
        }
    }

    @Test
    void shadowedPostsFanOutToTheirScopesAndLateOnesBecomeLateRecords() throws Exception {
        EmotionEvent event = EmotionEvent.newBuilder().setPostId("p").setCreatedAt(Instant.EPOCH).setEmotion(Emotion.ANGRY)
                .setProbabilities(List.of(0f, 0.7f, 0f, 0f, 0.3f, 0f)).setConfidence(0.7f).setTopics(List.of("高考", "天气"))
                .setEmptyText(false).setModelName("m").setModelVersion("v1").setProcessedAt(Instant.EPOCH).build();
        ClassifiedPost post = ClassifiedPost.labelled(event);
        post.shadow = new ShadowLabel("m", "v2", Emotion.SURPRISE.ordinal(), 0.6f, false);
        List<ScopedComparison> scoped = new ArrayList<>();
        new ComparisonScopes().flatMap(post, new ListCollector<>(scoped));
        assertEquals(List.of("global", "topic:高考", "topic:天气"), scoped.stream().map(c -> c.scope).toList());
        assertEquals(pair("global", "v2", "p", Emotion.ANGRY, 0.7f, Emotion.SURPRISE, 0.6f), scoped.get(0));

        ComparisonAggregate aggregate = new ComparisonAggregate(3);
        try (KeyedOneInputStreamOperatorTestHarness<String, ScopedComparison, ModelComparison> h =
                     org.apache.flink.streaming.util.ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                             new com.emotionmonitor.job.ops.LateGathering<>(SIZE, Duration.ofSeconds(10), aggregate,
                                     TypeInformation.of(ComparisonAccumulator.class), ComparisonRecords::late, "lateComparisons"),
                             ScopedComparison::getKey, Types.STRING)) {
            h.setProcessingTime(0);
            h.processElement(scoped.get(0), 65_000L);
            h.processElement(pair("global", "v2", "q", Emotion.ANGRY, 0.7f, Emotion.ANGRY, 0.6f), 66_000L);
            h.setProcessingTime(10_000);
            ModelComparison late = h.extractOutputValues().get(0);
            assertEquals(StatsKind.LATE, late.getKind());
            assertEquals(60_000L, late.getWindowStart().toEpochMilli());
            assertEquals(2, late.getCompared());
            assertEquals(1, late.getAgreed());
            assertEquals("global", late.getScope(), "the scope, not the window key");
            assertEquals(0, h.numKeyedStateEntries());
            assertEquals(0, h.numProcessingTimeTimers());
            assertEquals(0, h.numEventTimeTimers());
        }
    }

    private static ScopedComparison pair(String scope, String shadowVersion, String id, Emotion serving, float servingConfidence,
                                         Emotion shadow, float shadowConfidence) {
        return new ScopedComparison(scope, "m", "v1", "m", shadowVersion, id, serving.ordinal(), servingConfidence,
                shadow.ordinal(), shadowConfidence);
    }

    private static List<ModelComparison> sorted(List<ModelComparison> out) {
        return out.stream().sorted(Comparator.comparing(ModelComparison::getShadowVersion)).toList();
    }

    @SuppressWarnings("unchecked")
    private static KeyedOneInputStreamOperatorTestHarness<String, ScopedComparison, ModelComparison> harness() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataStream<ScopedComparison> in = env.fromData(TypeInformation.of(ScopedComparison.class),
                pair("global", "v2", "x", Emotion.HAPPY, 1f, Emotion.HAPPY, 1f));
        OneInputTransformation<ScopedComparison, ModelComparison> t = (OneInputTransformation<ScopedComparison, ModelComparison>)
                ModelComparisons.windowed(in, SIZE, LATENESS, 2).getTransformation();
        return new KeyedOneInputStreamOperatorTestHarness<>(t.getOperatorFactory(), ScopedComparison::getKey, Types.STRING,
                t.getInputType().createSerializer(env.getConfig().getSerializerConfig()));
    }
}
