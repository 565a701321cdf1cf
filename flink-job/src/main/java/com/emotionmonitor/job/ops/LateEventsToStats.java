package com.emotionmonitor.job.ops;

import com.emotionmonitor.schema.EmotionStats;
import com.emotionmonitor.schema.StatsKind;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Events that reach the statistics after their window closed (beyond the allowed lateness) are not dropped: each
 * becomes a one-event {@code LATE} EmotionStats for the window it belonged to, and is counted in the
 * {@code lateEvents} metric. Their EmotionEvent was already written; only the window result missed them.
 */
public final class LateEventsToStats extends ProcessFunction<ScopedEmotion, EmotionStats> {

    private static final long serialVersionUID = 1L;

    private final long windowSizeMillis;
    private final int maxExamples;
    private transient Counter lateEvents;

    public LateEventsToStats(Duration windowSize, int maxExamples) {
        this.windowSizeMillis = windowSize.toMillis();
        this.maxExamples = maxExamples;
    }

    @Override
    public void open(OpenContext openContext) {
        lateEvents = getRuntimeContext().getMetricGroup().counter("lateEvents");
    }

    @Override
    public void processElement(ScopedEmotion event, Context ctx, Collector<EmotionStats> out) {
        lateEvents.inc();
        long start = TimeWindow.getWindowStartWithOffset(ctx.timestamp(), 0, windowSizeMillis);
        StatsAccumulator one = new StatsAccumulator();
        one.add(event, maxExamples);
        out.collect(StatsRecords.of(event.scope, StatsKind.LATE, start, start + windowSizeMillis, 0, one));
    }
}
