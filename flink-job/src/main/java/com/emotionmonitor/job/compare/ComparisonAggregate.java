package com.emotionmonitor.job.compare;

import org.apache.flink.api.common.functions.AggregateFunction;

/** Incremental comparison of one window: a {@link ComparisonAccumulator} per window, scope and version pair. */
public final class ComparisonAggregate implements AggregateFunction<ScopedComparison, ComparisonAccumulator, ComparisonAccumulator> {

    private static final long serialVersionUID = 1L;

    private final int maxExamples;

    public ComparisonAggregate(int maxExamples) {
        this.maxExamples = maxExamples;
    }

    @Override
    public ComparisonAccumulator createAccumulator() {
        return new ComparisonAccumulator();
    }

    @Override
    public ComparisonAccumulator add(ScopedComparison value, ComparisonAccumulator acc) {
        acc.add(value, maxExamples);
        return acc;
    }

    @Override
    public ComparisonAccumulator getResult(ComparisonAccumulator acc) {
        return acc;
    }

    @Override
    public ComparisonAccumulator merge(ComparisonAccumulator a, ComparisonAccumulator b) {
        return a.merge(b, maxExamples);
    }
}
