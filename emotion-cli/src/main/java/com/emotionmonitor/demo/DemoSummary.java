package com.emotionmonitor.demo;

import com.emotionmonitor.schema.Emotion;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The one-line JSON the demo prints last: the counts that prove the run, and its speed. */
record DemoSummary(
        long postsIn, long malformedIn, OutputWatcher.Snapshot out, String modelName, String modelVersion,
        boolean tinyModel, double durationSeconds, double replaySeconds, double rate, String error, Spike spike) {

    /** The injected burst ({@code --inject-spike}), or null. */
    record Spike(String emotion, long postsSent, int distinctPosts, String selection, java.time.Instant windowStart) {}

    /** Every post labelled exactly once, every malformed record dead-lettered, every event counted in the stats. */
    boolean ok() {
        return error == null && out.eventsOut() == postsIn && out.duplicates() == 0 && out.statsTotal() == postsIn
                && out.deadLetters() == malformedIn;
    }

    String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("posts_in", postsIn);
        m.put("events_out", out.eventsOut());
        m.put("duplicates", out.duplicates());
        m.put("dead_letters", out.deadLetters());
        m.put("malformed_in", malformedIn);
        m.put("stats_total", out.statsTotal());
        m.put("stats_windows", out.globalWindows());
        m.put("late_stats", out.lateStats());
        m.put("model_name", modelName);
        m.put("model_version", modelVersion);
        m.put("tiny_model", tinyModel);
        m.put("empty_text", out.emptyText());
        Map<String, Long> labels = new LinkedHashMap<>();
        for (Emotion e : Emotion.values()) {
            labels.put(e.name().toLowerCase(Locale.ROOT), out.emotionCounts()[e.ordinal()]);
        }
        m.put("labels", labels);
        Map<String, Long> alerts = new LinkedHashMap<>();
        for (Emotion e : Emotion.values()) {
            alerts.put(e.name().toLowerCase(Locale.ROOT), out.spikesByEmotion()[e.ordinal()]);
        }
        m.put("alerts_by_emotion", alerts);
        m.put("recoveries", out.recoveries());
        if (spike != null) {
            Map<String, Object> sp = new LinkedHashMap<>();
            sp.put("emotion", spike.emotion());
            sp.put("posts", spike.postsSent());
            sp.put("distinct_posts", spike.distinctPosts());
            sp.put("selection", spike.selection());
            sp.put("window_start", spike.windowStart() == null ? null : spike.windowStart().toString());
            sp.put("alerted", alerts.get(spike.emotion()) > 0);
            m.put("injected_spike", sp);
        }
        m.put("rate_requested", rate);
        m.put("duration_s", round(durationSeconds));
        m.put("throughput_posts_per_s", round(replaySeconds > 0 ? out.eventsOut() / replaySeconds : 0));
        m.put("latency_ms_p50", out.latencyP50Ms());
        m.put("latency_ms_p99", out.latencyP99Ms());
        m.put("ok", ok());
        if (error != null) {
            m.put("error", error);
        }
        try {
            return new ObjectMapper().writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
