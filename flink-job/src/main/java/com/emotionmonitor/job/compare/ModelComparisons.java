package com.emotionmonitor.job.compare;

import com.emotionmonitor.job.ops.LateGathering;
import com.emotionmonitor.schema.ModelComparison;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * The shadow comparison stage: keyBy(scope, version pair) -> tumbling event-time windows of the stats' size and
 * lateness -> ModelComparison, plus the late side output gathered into LATE records, exactly as the statistics do,
 * so a window's comparisons add up like its stats. Runs only on shadowed posts: without a shadow it receives nothing
 * and keeps no state.
 */
public final class ModelComparisons {

    public static final OutputTag<ScopedComparison> LATE_COMPARISONS =
            new OutputTag<>("late-comparisons", TypeInformation.of(ScopedComparison.class));

    private ModelComparisons() {}

    /** The window operator alone (its late side output is {@link #LATE_COMPARISONS}). */
    public static SingleOutputStreamOperator<ModelComparison> windowed(DataStream<ScopedComparison> compared, Duration size,
                                                                       Duration allowedLateness, int maxExamples) {
        return compared
                .keyBy(ScopedComparison::getKey, TypeInformation.of(String.class))
                .window(TumblingEventTimeWindows.of(size))
                .allowedLateness(allowedLateness)
                .sideOutputLateData(LATE_COMPARISONS)
                .aggregate(new ComparisonAggregate(maxExamples), new ComparisonWindowFunction(),
                        TypeInformation.of(ComparisonAccumulator.class), TypeInformation.of(ComparisonAccumulator.class),
                        new AvroTypeInfo<>(ModelComparison.class))
                .uid("model-comparison-window")
                .name("Shadow vs serving per scope and window");
    }

    /** Window results and LATE records, in one stream for the comparisons topic. */
    public static DataStream<ModelComparison> apply(DataStream<ScopedComparison> compared, Duration size,
                                                    Duration allowedLateness, Duration lateFlushInterval, int maxExamples) {
        SingleOutputStreamOperator<ModelComparison> windows = windowed(compared, size, allowedLateness, maxExamples);
        DataStream<ModelComparison> late = windows.getSideOutput(LATE_COMPARISONS)
                .keyBy(ScopedComparison::getKey, TypeInformation.of(String.class))
                .process(new LateGathering<>(size, lateFlushInterval, new ComparisonAggregate(maxExamples),
                        TypeInformation.of(ComparisonAccumulator.class), ComparisonRecords::late, "lateComparisons"),
                        new AvroTypeInfo<>(ModelComparison.class))
                .uid("late-comparisons")
                .name("Late comparisons as LATE records (gathered per window)");
        return windows.union(late);
    }
}
