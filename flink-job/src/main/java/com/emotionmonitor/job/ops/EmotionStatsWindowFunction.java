package com.emotionmonitor.job.ops;

import com.emotionmonitor.job.drift.DriftReference;
import com.emotionmonitor.schema.EmotionStats;
import com.emotionmonitor.schema.StatsKind;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Turns a window's accumulator into {@link EmotionStats}, with its drift: the divergence of its label mix from the
 * reference of the versions that labelled it ({@link DriftReference}). Numbers each firing of the same window (0 on
 * time, then one more per late re-firing within the allowed lateness) in per-window state, which {@link #clear} drops
 * when the window is purged, so no state outlives its window.
 */
public final class EmotionStatsWindowFunction
        extends ProcessWindowFunction<StatsAccumulator, EmotionStats, String, TimeWindow> {

    private static final long serialVersionUID = 2L;

    static final ValueStateDescriptor<Integer> FIRINGS = new ValueStateDescriptor<>("firings", Types.INT);

    private final DriftReference references;

    public EmotionStatsWindowFunction(DriftReference references) {
        this.references = references;
    }

    @Override
    public void process(String scope, Context context, Iterable<StatsAccumulator> accumulators, Collector<EmotionStats> out)
            throws Exception {
        ValueState<Integer> firings = context.windowState().getState(FIRINGS);
        int revision = firings.value() == null ? 0 : firings.value();
        firings.update(revision + 1);
        StatsAccumulator acc = accumulators.iterator().next();
        TimeWindow w = context.window();
        out.collect(StatsRecords.of(scope, StatsKind.WINDOW, w.getStart(), w.getEnd(), revision, acc, references));
    }

    @Override
    public void clear(Context context) {
        context.windowState().getState(FIRINGS).clear();
    }
}
