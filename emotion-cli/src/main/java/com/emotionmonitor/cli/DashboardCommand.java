package com.emotionmonitor.cli;

import com.emotionmonitor.dashboard.Dashboard;
import com.emotionmonitor.dashboard.feed.DashboardTopics;
import com.emotionmonitor.dashboard.state.DashboardState;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bin/emotion dashboard}: the live page on a running job's topics, served on 127.0.0.1. */
@Command(
        name = "dashboard",
        mixinStandardHelpOptions = true,
        description = {
            "Serve a live dashboard on http://127.0.0.1:PORT/ from the job's topics, read as a read_committed consumer",
            "(no consumer group, no offsets moved): emotion shares per window over the last hour (global, or a #topic#",
            "picked among the busiest), the spike feed with the example posts' texts (from a bounded cache of the posts",
            "topic), the model version each TaskManager serves and every refusal with its reason, posts/s, end-to-end",
            "latency p50/p99, dead letters and late events. Runs until Ctrl-C."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped with Ctrl-C", "1:reading the topics failed", "2:invalid arguments or the port is taken"})
public final class DashboardCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", defaultValue = "127.0.0.1:9092", paramLabel = "HOST:PORT,...",
            description = "Kafka bootstrap servers (default ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Mixin KafkaClientFlags kafka;

    @Option(names = "--port", defaultValue = "8088", description = "Port on 127.0.0.1 (default ${DEFAULT-VALUE}; 0: a free one).")
    int port;

    @Option(names = "--posts-topic", defaultValue = "social-posts", description = "(default ${DEFAULT-VALUE})") String postsTopic;
    @Option(names = "--events-topic", defaultValue = "emotion-events", description = "(default ${DEFAULT-VALUE})") String eventsTopic;
    @Option(names = "--stats-topic", defaultValue = "emotion-stats", description = "(default ${DEFAULT-VALUE})") String statsTopic;
    @Option(names = "--alerts-topic", defaultValue = "emotion-alerts", description = "(default ${DEFAULT-VALUE})") String alertsTopic;
    @Option(names = "--model-status-topic", defaultValue = "model-status", description = "(default ${DEFAULT-VALUE})") String modelStatusTopic;
    @Option(names = "--dead-letter-topic", defaultValue = "emotion-dead-letters", description = "(default ${DEFAULT-VALUE})") String deadLetterTopic;
    @Option(names = "--comparisons-topic", defaultValue = "model-comparisons", description = "(default ${DEFAULT-VALUE})") String comparisonsTopic;
    @Option(names = "--drift-alerts-topic", defaultValue = "emotion-drift-alerts", description = "(default ${DEFAULT-VALUE})") String driftAlertsTopic;

    @Option(names = "--history", defaultValue = "1h", paramLabel = "DURATION",
            description = "Event time shown, back from the newest window (default ${DEFAULT-VALUE}).")
    String history;

    @Option(names = "--update-interval", defaultValue = "500ms", paramLabel = "DURATION",
            description = "Shortest time between two updates of a page (default ${DEFAULT-VALUE}).")
    String updateInterval;

    @Option(names = "--text-cache", defaultValue = "100000", paramLabel = "POSTS",
            description = "Post texts kept for the alerts' example posts, the newest (default ${DEFAULT-VALUE}: 100 s at 1,000 posts/s).")
    int textCache;

    @Option(names = "--max-topics", defaultValue = "500", description = "Topic scopes held; the busiest stay (default ${DEFAULT-VALUE}).")
    int maxTopics;

    @Override
    public Integer call() throws Exception {
        Dashboard.Settings settings;
        try {
            settings = settings();
        } catch (IllegalArgumentException e) {
            System.err.println("dashboard: " + e.getMessage());
            return 2;
        }
        Dashboard dashboard;
        try {
            dashboard = Dashboard.start(settings);
        } catch (RuntimeException e) {
            System.err.println("dashboard: cannot serve on 127.0.0.1:" + port + ": " + e.getMessage());
            return 2;
        }
        CountDownLatch stop = new CountDownLatch(1);
        StopSignals.install("dashboard", Duration.ofSeconds(15), stop::countDown);
        System.out.println("dashboard: " + dashboard.url() + "  (Kafka " + bootstrapServers + "; Ctrl-C to stop)");
        try {
            while (!stop.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
                if (dashboard.feed().failure() != null) {
                    System.err.println("dashboard: reading the topics failed: " + dashboard.feed().failure());
                    return 1;
                }
            }
            return 0;
        } finally {
            dashboard.close();
        }
    }

    Dashboard.Settings settings() throws java.io.IOException {
        Duration h = TimeUtils.parseDuration(history);
        Duration interval = TimeUtils.parseDuration(updateInterval);
        if (port < 0 || port > 65535 || textCache < 1 || maxTopics < 1 || h.isZero() || h.isNegative() || interval.toMillis() < 50) {
            throw new IllegalArgumentException("--port must be 0-65535, --text-cache and --max-topics >= 1, --history > 0,"
                    + " --update-interval >= 50ms");
        }
        return Dashboard.Settings.of(kafka.clientProperties(bootstrapServers), port)
                .withTopics(new DashboardTopics(postsTopic, eventsTopic, statsTopic, alertsTopic, modelStatusTopic, deadLetterTopic,
                        comparisonsTopic, driftAlertsTopic))
                .withUpdateInterval(interval)
                .withLimits(DashboardState.Limits.defaults().withHistory(h).withMaxPostTexts(textCache).withMaxTopics(maxTopics));
    }
}
