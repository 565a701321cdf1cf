package com.emotionmonitor.job.ops;

import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Incremental window aggregation: the window keeps one {@link StatsAccumulator} (counts and at most
 * {@code maxExamples} example ids per emotion), never the events themselves.
 */
public final class EmotionStatsAggregate implements AggregateFunction<ScopedEmotion, StatsAccumulator, StatsAccumulator> {

    private static final long serialVersionUID = 1L;

    private final int maxExamples;

    public EmotionStatsAggregate(int maxExamples) {
        this.maxExamples = maxExamples;
    }

    @Override
    public StatsAccumulator createAccumulator() {
        return new StatsAccumulator();
    }

    @Override
    public StatsAccumulator add(ScopedEmotion value, StatsAccumulator acc) {
        acc.add(value, maxExamples);
        return acc;
    }

    @Override
    public StatsAccumulator getResult(StatsAccumulator acc) {
        return acc;
    }

    @Override
    public StatsAccumulator merge(StatsAccumulator a, StatsAccumulator b) {
        return a.merge(b, maxExamples);
    }
}
