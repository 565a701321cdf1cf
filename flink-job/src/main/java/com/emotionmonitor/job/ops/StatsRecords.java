package com.emotionmonitor.job.ops;

import com.emotionmonitor.job.drift.DriftReference;
import com.emotionmonitor.job.drift.JensenShannon;
import com.emotionmonitor.schema.EmotionCounts;
import com.emotionmonitor.schema.EmotionExamples;
import com.emotionmonitor.schema.EmotionStats;
import com.emotionmonitor.schema.StatsKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds {@link EmotionStats} records from accumulated counts. */
final class StatsRecords {

    private StatsRecords() {}

    /** @param references the labelling versions' reference shares, for a WINDOW record's drift (null: no drift figure) */
    static EmotionStats of(String scope, StatsKind kind, long windowStart, long windowEnd, int revision, StatsAccumulator acc,
                           DriftReference references) {
        long[] c = acc.counts;
        double[] reference = kind == StatsKind.WINDOW && references != null ? reference(acc, references) : null;
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
                .setDrift(reference == null ? null : JensenShannon.divergence(toDoubles(acc.modelLabelledCounts()), reference))
                .setDriftReference(reference == null ? null : boxed(reference))
                .build();
    }

    /**
     * The window's reference: each labelling version's shares weighted by the events it labelled. Null when nothing
     * was model-labelled or any labelling version records no reference (a partial mix would be a wrong yardstick).
     */
    static double[] reference(StatsAccumulator acc, DriftReference references) {
        long total = 0;
        for (long n : acc.modelLabelled) {
            total += n;
        }
        if (total == 0) {
            return null;
        }
        double[] mix = new double[acc.counts.length];
        for (int v = 0; v < acc.modelVersions.length; v++) {
            double[] shares = references.shares(acc.modelNames[v], acc.modelVersions[v]);
            if (shares == null || shares.length != mix.length) {
                return null;
            }
            for (double share : shares) {
                if (!(share >= 0)) {
                    return null;
                }
            }
            double weight = (double) acc.modelLabelled[v] / total;
            for (int i = 0; i < mix.length; i++) {
                mix[i] += weight * shares[i];
            }
        }
        double sum = 0;
        for (double m : mix) {
            sum += m;
        }
        return sum > 0 ? mix : null; // a manifest whose shares name none of the labels is no yardstick either
    }

    private static double[] toDoubles(long[] counts) {
        double[] d = new double[counts.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = counts[i];
        }
        return d;
    }

    private static List<Double> boxed(double[] shares) {
        List<Double> out = new ArrayList<>(shares.length);
        for (double s : shares) {
            out.add(s);
        }
        return out;
    }

    private static EmotionExamples examples(String[][] ids) {
        return new EmotionExamples(List.of(ids[0]), List.of(ids[1]), List.of(ids[2]), List.of(ids[3]), List.of(ids[4]),
                List.of(ids[5]));
    }
}
