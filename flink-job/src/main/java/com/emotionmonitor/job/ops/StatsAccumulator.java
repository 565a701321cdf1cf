package com.emotionmonitor.job.ops;

import com.emotionmonitor.schema.Emotion;
import java.util.Arrays;

/**
 * Running counts of one window and scope, plus a few example post ids per emotion: the only per-window state the
 * statistics keep (never the events themselves). A Flink POJO.
 */
public class StatsAccumulator {

    /** Events per wire emotion ordinal. */
    public long[] counts = new long[Emotion.values().length];
    public long emptyText;
    /** Sum and number of model confidences (empty-text events have none). */
    public double confidenceSum;
    public long confidenceCount;
    /**
     * Per emotion ordinal, at most {@code maxExamples} post ids, best first; {@link #exampleRanks} holds their ranks
     * (the model's confidence; -1 for empty-text posts, which say nothing about the emotion). Ties keep the earlier post.
     */
    public String[][] exampleIds = emptyExamples();
    public float[][] exampleRanks = new float[Emotion.values().length][0];
    /**
     * The versions that labelled model-labelled events of the window (empty-text ones excluded), side by side: name,
     * version and how many events each labelled; usually one, two across a switch or with a canary. The window's drift
     * reference is their references weighted by these counts.
     */
    public String[] modelNames = new String[0];
    public String[] modelVersions = new String[0];
    public long[] modelLabelled = new long[0];

    public long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    void add(ScopedEmotion e, int maxExamples) {
        counts[e.emotion]++;
        if (e.emptyText) {
            emptyText++;
        } else {
            confidenceSum += e.confidence;
            confidenceCount++;
            if (e.modelVersion != null) {
                countVersion(e.modelName, e.modelVersion, 1);
            }
        }
        if (e.postId != null) {
            offerExample(e.emotion, e.postId, e.emptyText ? -1f : e.confidence, maxExamples);
        }
    }

    StatsAccumulator merge(StatsAccumulator other, int maxExamples) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
            for (int k = 0; k < other.exampleIds[i].length; k++) {
                offerExample(i, other.exampleIds[i][k], other.exampleRanks[i][k], maxExamples);
            }
        }
        emptyText += other.emptyText;
        confidenceSum += other.confidenceSum;
        confidenceCount += other.confidenceCount;
        for (int v = 0; v < other.modelVersions.length; v++) {
            countVersion(other.modelNames[v], other.modelVersions[v], other.modelLabelled[v]);
        }
        return this;
    }

    /** The model-labelled events: the counts without the empty-text NEUTRALs (labelled by rule, not by a model). */
    public long[] modelLabelledCounts() {
        long[] c = counts.clone();
        c[Emotion.NEUTRAL.ordinal()] -= emptyText;
        return c;
    }

    /** Adds {@code n} events labelled by one version; a version not seen yet in this window grows the arrays (rare). */
    private void countVersion(String name, String version, long n) {
        for (int v = 0; v < modelVersions.length; v++) {
            if (modelVersions[v].equals(version) && java.util.Objects.equals(modelNames[v], name)) {
                modelLabelled[v] += n;
                return;
            }
        }
        int size = modelVersions.length + 1;
        modelNames = Arrays.copyOf(modelNames, size);
        modelVersions = Arrays.copyOf(modelVersions, size);
        modelLabelled = Arrays.copyOf(modelLabelled, size);
        modelNames[size - 1] = name;
        modelVersions[size - 1] = version;
        modelLabelled[size - 1] = n;
    }

    /** Inserts the id by rank (after equal ranks) if it is among the best {@code max} of its emotion. */
    private void offerExample(int emotion, String id, float rank, int max) {
        float[] ranks = exampleRanks[emotion];
        int at = 0;
        while (at < ranks.length && ranks[at] >= rank) {
            at++;
        }
        if (at >= max) {
            return;
        }
        int size = Math.min(ranks.length + 1, max);
        String[] ids = exampleIds[emotion];
        String[] newIds = new String[size];
        float[] newRanks = new float[size];
        System.arraycopy(ids, 0, newIds, 0, at);
        System.arraycopy(ranks, 0, newRanks, 0, at);
        newIds[at] = id;
        newRanks[at] = rank;
        System.arraycopy(ids, at, newIds, at + 1, size - at - 1);
        System.arraycopy(ranks, at, newRanks, at + 1, size - at - 1);
        exampleIds[emotion] = newIds;
        exampleRanks[emotion] = newRanks;
    }

    private static String[][] emptyExamples() {
        String[][] ids = new String[Emotion.values().length][];
        Arrays.setAll(ids, i -> new String[0]);
        return ids;
    }
}
