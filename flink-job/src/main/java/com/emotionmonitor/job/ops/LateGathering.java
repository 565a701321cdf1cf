package com.emotionmonitor.job.ops;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.AggregateFunction;
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
 * Records that reach a window stage after their window closed (beyond the allowed lateness) are not dropped: keyed as
 * the windows are, they are gathered per window they belong to, and {@code flushInterval} of processing time after the
 * first of them each window gathered so far becomes one LATE record. A burst of a thousand late posts (a producer that
 * was offline, a replay) therefore costs a few records, not a thousand. Each is counted in a metric. The statistics
 * ({@link LateEventsToStats}) and the shadow comparisons use it, each with its own aggregate and record.
 *
 * <p>Processing time, not event time: a late record is by definition behind the watermark, which may not move again
 * for a long while (an idle stream); the flush must not wait for it. But processing-time timers do not fire when the
 * input ends, so the end of event time (the final watermark of a bounded run or a draining stop) flushes too, and a
 * record that arrives after it (a split that was idle while the others finished, as a slow TLS start can make one)
 * leaves at once. The state (window start -> accumulator, the flush time) is keyed state, checkpointed, and cleared
 * by the flush together with both timers.
 */
public class LateGathering<IN, ACC, OUT> extends KeyedProcessFunction<String, IN, OUT> {

    private static final long serialVersionUID = 1L;

    /** Fires only with the final watermark of a finished or drained stream. */
    static final long END_OF_EVENT_TIME = Long.MAX_VALUE;

    /** The LATE record of one key and window. */
    @FunctionalInterface
    public interface LateRecord<ACC, OUT> extends Serializable {
        OUT of(String key, long windowStart, long windowEnd, ACC gathered);
    }

    private final long windowSizeMillis;
    private final long flushIntervalMillis;
    private final AggregateFunction<IN, ACC, ACC> aggregate;
    private final TypeInformation<ACC> accumulatorType;
    private final LateRecord<ACC, OUT> records;
    private final String metric;
    private transient MapState<Long, ACC> pending;
    /** When this key's processing-time flush is due (so the end-of-input flush can cancel it). */
    private transient ValueState<Long> flushAt;
    private transient Counter late;

    /** @param metric the counter of the late records gathered */
    public LateGathering(Duration windowSize, Duration flushInterval, AggregateFunction<IN, ACC, ACC> aggregate,
                         TypeInformation<ACC> accumulatorType, LateRecord<ACC, OUT> records, String metric) {
        this.windowSizeMillis = windowSize.toMillis();
        this.flushIntervalMillis = flushInterval.toMillis();
        this.aggregate = aggregate;
        this.accumulatorType = accumulatorType;
        this.records = records;
        this.metric = metric;
    }

    @Override
    public void open(OpenContext openContext) {
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("late-by-window", Types.LONG, accumulatorType));
        flushAt = getRuntimeContext().getState(new ValueStateDescriptor<>("late-flush-at", Types.LONG));
        late = getRuntimeContext().getMetricGroup().counter(metric);
    }

    @Override
    public void processElement(IN record, Context ctx, Collector<OUT> out) throws Exception {
        late.inc();
        // After the final watermark no timer fires again: another input finished while this record's split was idle
        // (a slow TLS start can make one so), and the split sent it afterwards. Such a record leaves at once.
        boolean eventTimeEnded = ctx.timerService().currentWatermark() == END_OF_EVENT_TIME;
        if (pending.isEmpty() && !eventTimeEnded) {
            long due = ctx.timerService().currentProcessingTime() + flushIntervalMillis;
            ctx.timerService().registerProcessingTimeTimer(due);
            flushAt.update(due);
            // Processing-time timers do not fire when the input ends (a bounded run, a draining stop): the end of
            // event time flushes what is gathered then.
            ctx.timerService().registerEventTimeTimer(END_OF_EVENT_TIME);
        }
        long start = windowStart(ctx.timestamp());
        ACC acc = pending.get(start);
        if (acc == null) {
            acc = aggregate.createAccumulator();
        }
        pending.put(start, aggregate.add(record, acc));
        if (eventTimeEnded) {
            // Nothing else is pending then, and no timer is set: the final watermark's timer flushed what was.
            flush(ctx.getCurrentKey(), out);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<OUT> out) throws Exception {
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            ctx.timerService().deleteEventTimeTimer(END_OF_EVENT_TIME);
        } else {
            ctx.timerService().deleteProcessingTimeTimer(processingTimer());
        }
        flush(ctx.getCurrentKey(), out);
        flushAt.clear();
    }

    /** One record per window gathered so far, oldest first; clears them. */
    private void flush(String key, Collector<OUT> out) throws Exception {
        List<Map.Entry<Long, ACC>> windows = new ArrayList<>();
        pending.entries().forEach(windows::add);
        windows.sort(Map.Entry.comparingByKey());
        for (Map.Entry<Long, ACC> w : windows) {
            long start = w.getKey();
            // A processing-time timer's output carries no element timestamp: the sink's producer stamps it with its clock.
            out.collect(records.of(key, start, start + windowSizeMillis, aggregate.getResult(w.getValue())));
        }
        pending.clear();
    }

    private long windowStart(long timestamp) {
        return TimeWindow.getWindowStartWithOffset(timestamp, 0, windowSizeMillis);
    }

    private long processingTimer() throws Exception {
        Long due = flushAt.value();
        return due == null ? Long.MIN_VALUE : due;
    }
}
