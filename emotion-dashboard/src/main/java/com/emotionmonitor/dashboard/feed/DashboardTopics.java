package com.emotionmonitor.dashboard.feed;

import java.util.List;

/** The topics the dashboard reads (the job's defaults in {@link #defaults()}). */
public record DashboardTopics(String posts, String events, String stats, String alerts, String modelStatus, String deadLetters,
                              String comparisons, String driftAlerts) {

    public static DashboardTopics defaults() {
        return new DashboardTopics("social-posts", "emotion-events", "emotion-stats", "emotion-alerts", "model-status",
                "emotion-dead-letters", "model-comparisons", "emotion-drift-alerts");
    }

    public List<String> all() {
        return List.of(posts, events, stats, alerts, modelStatus, deadLetters, comparisons, driftAlerts);
    }
}
