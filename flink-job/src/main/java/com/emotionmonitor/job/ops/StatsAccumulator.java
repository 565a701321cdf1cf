package com.emotionmonitor.job.ops;

import com.emotionmonitor.schema.Emotion;

/** Running counts of one window and scope: the only per-window state the statistics keep. A Flink POJO. */
public class StatsAccumulator {

    /** Events per wire emotion ordinal. */
    public long[] counts = new long[Emotion.values().length];
    public long emptyText;
    /** Sum and number of model confidences (empty-text events have none). */
    public double confidenceSum;
    public long confidenceCount;

    public long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    void add(ScopedEmotion e) {
        counts[e.emotion]++;
        if (e.emptyText) {
            emptyText++;
        } else {
            confidenceSum += e.confidence;
            confidenceCount++;
        }
    }

    StatsAccumulator merge(StatsAccumulator other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        emptyText += other.emptyText;
        confidenceSum += other.confidenceSum;
        confidenceCount += other.confidenceCount;
        return this;
    }
}
