package com.emotionmonitor.job.ops;

import com.emotionmonitor.job.drift.DriftReference;
import com.emotionmonitor.schema.EmotionStats;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * The statistics stage: keyBy(scope) -> tumbling event-time windows with allowed lateness -> EmotionStats, plus the
 * late side output turned into LATE stats. One place, so the job and the harness tests build the same operators.
 */
public final class EmotionStatsWindows {

    public static final OutputTag<ScopedEmotion> LATE_EVENTS =
            new OutputTag<>("late-events", TypeInformation.of(ScopedEmotion.class));

    private EmotionStatsWindows() {}

    /**
     * The window operator alone (its late side output is {@link #LATE_EVENTS}); each result carries at most
     * {@code maxExamples} example post ids per emotion, and its drift against {@code references}.
     */
    public static SingleOutputStreamOperator<EmotionStats> windowed(
            DataStream<ScopedEmotion> scoped, Duration size, Duration allowedLateness, int maxExamples,
            DriftReference references) {
        return scoped
                .keyBy(ScopedEmotion::getScope, TypeInformation.of(String.class))
                .window(TumblingEventTimeWindows.of(size))
                .allowedLateness(allowedLateness)
                .sideOutputLateData(LATE_EVENTS)
                .aggregate(new EmotionStatsAggregate(maxExamples), new EmotionStatsWindowFunction(references),
                        TypeInformation.of(StatsAccumulator.class), TypeInformation.of(StatsAccumulator.class),
                        new AvroTypeInfo<>(EmotionStats.class))
                .uid("emotion-stats-window")
                .name("Emotion stats per scope and window");
    }

    /**
     * Window results and LATE records, in one stream for the stats topic; events later than the allowed lateness are
     * gathered per scope and window for {@code lateFlushInterval} ({@link LateEventsToStats}).
     */
    public static DataStream<EmotionStats> apply(DataStream<ScopedEmotion> scoped, Duration size, Duration allowedLateness,
                                                 Duration lateFlushInterval, int maxExamples, DriftReference references) {
        SingleOutputStreamOperator<EmotionStats> windows = windowed(scoped, size, allowedLateness, maxExamples, references);
        DataStream<EmotionStats> late = windows.getSideOutput(LATE_EVENTS)
                .keyBy(ScopedEmotion::getScope, TypeInformation.of(String.class))
                .process(new LateEventsToStats(size, lateFlushInterval, maxExamples), new AvroTypeInfo<>(EmotionStats.class))
                .uid("late-events-to-stats-gathered") // keyed state now: not the old stateless operator's uid
                .name("Late events as LATE stats (gathered per window)");
        return windows.union(late);
    }
}
