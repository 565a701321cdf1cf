package com.emotionmonitor.tools;

import java.util.BitSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts labelled events against the posts that were sent: which expected ids came out, how often, and what came out
 * that was never sent. Exactly-once means every expected id exactly once and nothing else with the run's prefix.
 */
public final class EventTally {

    private final PostIds expected;
    private final BitSet seen = new BitSet();
    private long eventsOut;
    private long duplicates;
    private long unexpected;
    private long undecodable;
    private long otherRuns;
    private final Map<String, Long> modelVersions = new TreeMap<>();
    private long firstProcessedMillis = Long.MAX_VALUE;
    private long lastProcessedMillis = Long.MIN_VALUE;

    public EventTally(PostIds expected) {
        if (expected.count() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("at most " + Integer.MAX_VALUE + " posts per audit");
        }
        this.expected = expected;
    }

    /** One event read from the topic, by its post id and the model version that labelled it. */
    public void add(String postId, String modelVersion) {
        add(postId, modelVersion, -1);
    }

    /**
     * One event, with the time the job labelled it ({@code processed_at}, epoch millis; negative if unknown): the span
     * of these over the expected posts gives the job's observed throughput.
     */
    public void add(String postId, String modelVersion, long processedAtMillis) {
        long index = expected.indexOf(postId);
        if (index < 0) {
            otherRuns++;
            return;
        }
        eventsOut++;
        if (processedAtMillis >= 0) {
            firstProcessedMillis = Math.min(firstProcessedMillis, processedAtMillis);
            lastProcessedMillis = Math.max(lastProcessedMillis, processedAtMillis);
        }
        modelVersions.merge(modelVersion, 1L, Long::sum);
        if (!expected.inRange(index)) {
            unexpected++;
            return;
        }
        int bit = (int) (index - expected.first());
        if (seen.get(bit)) {
            duplicates++;
        } else {
            seen.set(bit);
        }
    }

    /** A record whose value is not an EmotionEvent: always an error. */
    public void addUndecodable() {
        undecodable++;
    }

    public boolean allSeen() {
        return seen.cardinality() == expected.count();
    }

    public long missing() {
        return expected.count() - seen.cardinality();
    }

    public boolean exactlyOnce() {
        return missing() == 0 && duplicates == 0 && unexpected == 0 && undecodable == 0;
    }

    /** Seconds between the first and the last labelling of this run's posts; 0 without timestamps. */
    public double processingSeconds() {
        return lastProcessedMillis > firstProcessedMillis ? (lastProcessedMillis - firstProcessedMillis) / 1000.0 : 0;
    }

    /** One JSON object: the audit's verdict and its counts. */
    public String toJson() {
        double seconds = processingSeconds();
        String rate = seconds > 0 ? String.format(java.util.Locale.ROOT, "%.1f", eventsOut / seconds) : "null";
        StringBuilder versions = new StringBuilder("{");
        modelVersions.forEach((v, n) -> versions.append(versions.length() > 1 ? "," : "").append('"').append(v).append("\":").append(n));
        versions.append('}');
        return "{\"id_prefix\":\"" + expected.prefix() + "\",\"expected\":" + expected.count() + ",\"events_out\":" + eventsOut
                + ",\"unique\":" + seen.cardinality() + ",\"duplicates\":" + duplicates + ",\"missing\":" + missing()
                + ",\"unexpected\":" + unexpected + ",\"undecodable\":" + undecodable + ",\"other_runs\":" + otherRuns
                + ",\"model_versions\":" + versions + ",\"processing_seconds\":" + String.format(java.util.Locale.ROOT, "%.1f", seconds)
                + ",\"events_per_second\":" + rate + ",\"exactly_once\":" + exactlyOnce() + "}";
    }
}
