package com.emotionmonitor.job.compare;

import com.emotionmonitor.schema.Disagreement;
import com.emotionmonitor.schema.Emotion;
import com.emotionmonitor.schema.EmotionCounts;
import com.emotionmonitor.schema.ModelComparison;
import com.emotionmonitor.schema.StatsKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds {@link ModelComparison} records from a window's {@link ComparisonAccumulator}. */
final class ComparisonRecords {

    private static final int N = ComparisonAccumulator.CLASSES;

    private ComparisonRecords() {}

    static ModelComparison of(StatsKind kind, long windowStart, long windowEnd, int revision, ComparisonAccumulator acc) {
        long[] serving = new long[N];
        long[] shadow = new long[N];
        List<List<Long>> confusion = new ArrayList<>(N);
        for (int i = 0; i < N; i++) {
            List<Long> row = new ArrayList<>(N);
            for (int j = 0; j < N; j++) {
                long c = acc.confusion[i * N + j];
                row.add(c);
                serving[i] += c;
                shadow[j] += c;
            }
            confusion.add(row);
        }
        List<Disagreement> disagreements = new ArrayList<>(acc.disagreementIds.length);
        for (int k = 0; k < acc.disagreementIds.length; k++) {
            disagreements.add(new Disagreement(acc.disagreementIds[k], Emotion.values()[acc.servingEmotions[k]],
                    acc.servingConfidences[k], Emotion.values()[acc.shadowEmotions[k]], acc.shadowConfidences[k]));
        }
        long compared = acc.compared();
        long agreed = acc.agreed();
        return ModelComparison.newBuilder()
                .setScope(acc.scope)
                .setKind(kind)
                .setWindowStart(Instant.ofEpochMilli(windowStart))
                .setWindowEnd(Instant.ofEpochMilli(windowEnd))
                .setRevision(revision)
                .setServingModel(acc.servingModel)
                .setServingVersion(acc.servingVersion)
                .setShadowModel(acc.shadowModel)
                .setShadowVersion(acc.shadowVersion)
                .setCompared(compared)
                .setAgreed(agreed)
                .setAgreement(compared == 0 ? 0 : (double) agreed / compared)
                .setConfusion(confusion)
                .setServingCounts(counts(serving))
                .setShadowCounts(counts(shadow))
                .setDisagreements(disagreements)
                .setEmittedAt(Instant.now())
                .build();
    }

    /** A LATE record: the window key is not needed, the accumulator names its scope and versions. */
    static ModelComparison late(String key, long windowStart, long windowEnd, ComparisonAccumulator acc) {
        return of(StatsKind.LATE, windowStart, windowEnd, 0, acc);
    }

    private static EmotionCounts counts(long[] c) {
        return new EmotionCounts(c[0], c[1], c[2], c[3], c[4], c[5]);
    }
}
