package com.emotionmonitor.job.ops;

import com.emotionmonitor.schema.EmotionCounts;
import com.emotionmonitor.schema.EmotionStats;
import com.emotionmonitor.schema.StatsKind;
import java.time.Instant;

/** Builds {@link EmotionStats} records from accumulated counts. */
final class StatsRecords {

    private StatsRecords() {}

    static EmotionStats of(String scope, StatsKind kind, long windowStart, long windowEnd, int revision, StatsAccumulator acc) {
        long[] c = acc.counts;
        return EmotionStats.newBuilder()
                .setScope(scope)
                .setKind(kind)
                .setWindowStart(Instant.ofEpochMilli(windowStart))
                .setWindowEnd(Instant.ofEpochMilli(windowEnd))
                .setRevision(revision)
                .setCounts(new EmotionCounts(c[0], c[1], c[2], c[3], c[4], c[5]))
                .setTotal(acc.total())
                .setEmptyTextCount(acc.emptyText)
                .setMeanConfidence(acc.confidenceCount == 0 ? null : acc.confidenceSum / acc.confidenceCount)
                .setEmittedAt(Instant.now())
                .build();
    }
}
