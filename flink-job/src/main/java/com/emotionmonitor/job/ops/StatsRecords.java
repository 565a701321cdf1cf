package com.emotionmonitor.job.ops;

import com.emotionmonitor.schema.EmotionCounts;
import com.emotionmonitor.schema.EmotionExamples;
import com.emotionmonitor.schema.EmotionStats;
import com.emotionmonitor.schema.StatsKind;
import java.time.Instant;
import java.util.List;

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
                .setExamples(examples(acc.exampleIds))
                .build();
    }

    private static EmotionExamples examples(String[][] ids) {
        return new EmotionExamples(List.of(ids[0]), List.of(ids[1]), List.of(ids[2]), List.of(ids[3]), List.of(ids[4]),
                List.of(ids[5]));
    }
}
