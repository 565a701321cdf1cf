package com.emotionmonitor.dashboard.state;

import java.util.List;
import java.util.Map;

/**
 * What the page shows, for one selected scope: plain values, copied under the state's lock, serialized as JSON
 * outside it. Times are UTC epoch millis; shares are left to the page (count / total).
 *
 * @param scope the selected scope: {@code global} or {@code topic:<name>}
 * @param windows that scope's windows in the history, oldest first
 * @param historyMillis how far back from {@code newestWindowEnd} the history reaches (event time)
 * @param topics the busiest topics in the history, busiest first (to pick one)
 * @param alerts the spike feed, newest first
 * @param rollout a shadow's comparisons with the serving version and the drift alerts
 */
public record Snapshot(long generatedAt, String scope, List<Window> windows, long historyMillis, long newestWindowEnd,
                       List<Topic> topics, List<Alert> alerts, Models models, Throughput throughput, Latency latency,
                       DeadLetters deadLetters, Late late, Feed feed, Rollout rollout) {

    /**
     * One window: {@code counts} (wire order: happy, angry, sad, fear, surprise, neutral) are its newest WINDOW
     * revision plus its LATE records; {@code revision} -1 when only LATE records were seen.
     */
    public record Window(long start, long end, int revision, long lateRecords, long lateEvents, long total, long[] counts) {}

    public record Topic(String scope, String name, long posts) {}

    /** An EmotionAlert; {@code score} is the detector's z. */
    public record Alert(String kind, String severity, String emotion, String scope, long windowStart, long windowEnd,
                        double observed, double baseline, double score, long windowTotal, long detectedAt,
                        List<Example> examples) {}

    /** An example post; {@code text} null when the post is not (or no longer) in the text cache. */
    public record Example(String id, String text) {}

    /** The newest job's router subtasks grouped by TaskManager, and the refusals (newest first). */
    public record Models(String jobId, int parallelism, List<TaskManager> taskManagers, List<Refusal> refusals) {}

    /**
     * @param candidates the shadow or canary its subtasks run beside the serving version
     * @param loading versions accepted on this TaskManager and still being loaded and verified
     */
    public record TaskManager(String id, List<Serving> serving, List<Candidate> candidates, List<String> loading) {}

    /** A shadow or canary candidate: {@code role} is "shadow" or "canary", {@code fraction} the share of posts it labels. */
    public record Candidate(String model, String version, String role, Double fraction, List<Integer> subtasks) {}

    public record Serving(String model, String version, List<Integer> subtasks) {}

    /** One refused command (or restore) on one job: the subtasks that refused it and why. */
    public record Refusal(String model, String version, String trigger, String reason, List<String> where, long reportedAt,
                          String jobId) {}

    public record Throughput(double postsPerSecond, double eventsPerSecond, long postsRead, long eventsRead) {}

    /** Post produced (its Kafka record timestamp) -> its event read here, committed; -1 without samples. */
    public record Latency(long p50Ms, long p99Ms, long samples, long windowSeconds) {}

    public record DeadLetters(long total, Map<String, Long> byStage, List<DeadLetter> recent) {}

    public record DeadLetter(String stage, String error, String source, long failedAt) {}

    /**
     * Global scope: events that missed their window (LATE records' totals), LATE records, and late re-firings
     * (WINDOW revisions above 0) that replaced a window's figures.
     */
    public record Late(long lateEvents, long lateRecords, long revisions) {}

    /** How much the dashboard holds: what bounds its memory. */
    public record Feed(long records, long undecodable, int textsHeld, int topicsHeld, long windowsHeld, long evictedTopics,
                       long ignoredOld) {}

    /** @param comparisons per window (global scope) and version pair, newest window first; @param drift newest first */
    public record Rollout(List<Comparison> comparisons, List<Drift> drift) {}

    /**
     * A window's comparison of a shadow with the serving version: its newest WINDOW revision plus its LATE records.
     *
     * @param agreement agreed / compared (null when nothing was compared)
     * @param disagreements the most confident disagreements of the newest revision, their texts when the cache has them
     */
    public record Comparison(long windowStart, long windowEnd, String serving, String shadow, long compared, long agreed,
                             Double agreement, long lateCompared, List<Disagreement> disagreements) {}

    public record Disagreement(String postId, String text, String servingEmotion, double servingConfidence,
                               String shadowEmotion, double shadowConfidence) {}

    /** A DriftAlert: the window's Jensen-Shannon divergence from the labelling versions' training mix. */
    public record Drift(String kind, String scope, long windowStart, long windowEnd, double divergence, double meanDivergence,
                        double threshold, int windows, long windowTotal, long detectedAt) {}
}
