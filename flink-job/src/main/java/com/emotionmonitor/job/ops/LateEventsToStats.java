package com.emotionmonitor.job.ops;

import com.emotionmonitor.schema.EmotionStats;
import com.emotionmonitor.schema.StatsKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Events that reach the statistics after their window closed (beyond the allowed lateness) are not dropped: keyed by
 * scope, they are gathered per window they belong to, and {@code flushInterval} of processing time after the first
 * of them each window gathered so far becomes one {@code LATE} EmotionStats record. A burst of a thousand late posts
 * (a producer that was offline, a replay) therefore costs a few records, not a thousand. Each is counted in the
 * {@code lateEvents} metric. Their EmotionEvents were already written; only the window results missed them.
 *
 * <p>Processing time, not event time: a late event is by definition behind the watermark, which may not move again
 * for a long while (an idle stream); the flush must not wait for it. But processing-time timers do not fire when the
 * input ends, so the end of event time (the final watermark of a bounded run or a draining stop) flushes too. The
 * state (window start -> counts, the flush time) is keyed state, checkpointed, and cleared by the flush together
 * with both timers.
 */
public final class LateEventsToStats extends KeyedProcessFunction<String, ScopedEmotion, EmotionStats> {

    private static final long serialVersionUID = 1L;

    /** Fires only with the final watermark of a finished or drained stream. */
    static final long END_OF_EVENT_TIME = Long.MAX_VALUE;

    private final long windowSizeMillis;
    private final long flushIntervalMillis;
    private final int maxExamples;
    private transient MapState<Long, StatsAccumulator> pending;
    /** When this scope's processing-time flush is due (so the end-of-input flush can cancel it). */
    private transient ValueState<Long> flushAt;
    private transient Counter lateEvents;

    public LateEventsToStats(Duration windowSize, Duration flushInterval, int maxExamples) {
        this.windowSizeMillis = windowSize.toMillis();
        this.flushIntervalMillis = flushInterval.toMillis();
        this.maxExamples = maxExamples;
    }

    @Override
    public void open(OpenContext openContext) {
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("late-by-window", Types.LONG,
                TypeInformation.of(StatsAccumulator.class)));
        flushAt = getRuntimeContext().getState(new ValueStateDescriptor<>("late-flush-at", Types.LONG));
        lateEvents = getRuntimeContext().getMetricGroup().counter("lateEvents");
    }

    @Override
    public void processElement(ScopedEmotion event, Context ctx, Collector<EmotionStats> out) throws Exception {
        lateEvents.inc();
        if (pending.isEmpty()) {
            long due = ctx.timerService().currentProcessingTime() + flushIntervalMillis;
            ctx.timerService().registerProcessingTimeTimer(due);
            flushAt.update(due);
            // Processing-time timers do not fire when the input ends (a bounded run, a draining stop): the end of
            // event time flushes what is gathered then.
            ctx.timerService().registerEventTimeTimer(END_OF_EVENT_TIME);
        }
        long start = TimeWindow.getWindowStartWithOffset(ctx.timestamp(), 0, windowSizeMillis);
        StatsAccumulator acc = pending.get(start);
        if (acc == null) {
            acc = new StatsAccumulator();
        }
        acc.add(event, maxExamples);
        pending.put(start, acc);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<EmotionStats> out) throws Exception {
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            ctx.timerService().deleteEventTimeTimer(END_OF_EVENT_TIME);
        } else {
            ctx.timerService().deleteProcessingTimeTimer(processingTimer(ctx));
        }
        List<Map.Entry<Long, StatsAccumulator>> windows = new ArrayList<>();
        pending.entries().forEach(windows::add);
        windows.sort(Map.Entry.comparingByKey());
        for (Map.Entry<Long, StatsAccumulator> w : windows) {
            long start = w.getKey();
            // A processing-time timer's output carries no element timestamp: the sink's producer stamps it with its clock.
            out.collect(StatsRecords.of(ctx.getCurrentKey(), StatsKind.LATE, start, start + windowSizeMillis, 0, w.getValue()));
        }
        pending.clear();
        flushAt.clear();
    }

    private long processingTimer(OnTimerContext ctx) throws Exception {
        Long due = flushAt.value();
        return due == null ? Long.MIN_VALUE : due;
    }
}
