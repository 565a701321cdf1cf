package com.emotionmonitor.job.compare;

import com.emotionmonitor.schema.ModelComparison;
import com.emotionmonitor.schema.StatsKind;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Turns a window's comparison into a {@link ModelComparison}, numbering its firings as the stats do (0 on time, one
 * more per late re-firing) in per-window state that {@link #clear} drops with the window.
 */
public final class ComparisonWindowFunction
        extends ProcessWindowFunction<ComparisonAccumulator, ModelComparison, String, TimeWindow> {

    private static final long serialVersionUID = 1L;

    static final ValueStateDescriptor<Integer> FIRINGS = new ValueStateDescriptor<>("firings", Types.INT);

    @Override
    public void process(String key, Context context, Iterable<ComparisonAccumulator> accumulators, Collector<ModelComparison> out)
            throws Exception {
        ValueState<Integer> firings = context.windowState().getState(FIRINGS);
        int revision = firings.value() == null ? 0 : firings.value();
        firings.update(revision + 1);
        TimeWindow w = context.window();
        out.collect(ComparisonRecords.of(StatsKind.WINDOW, w.getStart(), w.getEnd(), revision, accumulators.iterator().next()));
    }

    @Override
    public void clear(Context context) {
        context.windowState().getState(FIRINGS).clear();
    }
}
