package com.emotionmonitor.dashboard;

import com.emotionmonitor.dashboard.feed.DashboardTopics;
import com.emotionmonitor.dashboard.feed.TopicFeed;
import com.emotionmonitor.dashboard.state.DashboardState;
import com.emotionmonitor.dashboard.web.DashboardServer;
import com.emotionmonitor.dashboard.web.UpdatePublisher;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The live dashboard: a {@link TopicFeed} reading the job's topics into a {@link DashboardState} on its own thread,
 * an {@link UpdatePublisher} pushing throttled snapshots, and a {@link DashboardServer} on 127.0.0.1 serving the page.
 * {@code bin/emotion dashboard} runs one against any Kafka; {@code bin/emotion demo} starts one on its own broker.
 */
public final class Dashboard implements AutoCloseable {

    /**
     * @param kafkaClient Kafka client properties: bootstrap servers, security
     * @param port where the page is served on 127.0.0.1 (0: a free port)
     * @param updateInterval the shortest time between two updates of a page
     */
    public record Settings(Properties kafkaClient, DashboardTopics topics, int port, Duration updateInterval,
                           DashboardState.Limits limits) {

        public static Settings of(Properties kafkaClient, int port) {
            return new Settings(kafkaClient, DashboardTopics.defaults(), port, Duration.ofMillis(500), DashboardState.Limits.defaults());
        }

        public Settings withTopics(DashboardTopics t) {
            return new Settings(kafkaClient, t, port, updateInterval, limits);
        }

        public Settings withPort(int p) {
            return new Settings(kafkaClient, topics, p, updateInterval, limits);
        }

        public Settings withUpdateInterval(Duration d) {
            return new Settings(kafkaClient, topics, port, d, limits);
        }

        public Settings withLimits(DashboardState.Limits l) {
            return new Settings(kafkaClient, topics, port, updateInterval, l);
        }
    }

    private final DashboardState state;
    private final TopicFeed feed;
    private final Thread feedThread;
    private final UpdatePublisher publisher;
    private final DashboardServer server;

    private Dashboard(Settings settings) {
        ObjectMapper json = new ObjectMapper();
        this.state = new DashboardState(settings.limits(), System::currentTimeMillis);
        this.feed = new TopicFeed(settings.kafkaClient(), settings.topics(), settings.limits().history(), state,
                System::currentTimeMillis);
        this.publisher = new UpdatePublisher(state, settings.updateInterval(), json);
        DashboardServer started;
        try {
            started = new DashboardServer(settings.port(), publisher, () -> health(json));
        } catch (RuntimeException e) {
            publisher.close();
            throw e;
        }
        this.server = started;
        this.feedThread = new Thread(feed, "dashboard-feed");
        feedThread.setDaemon(true);
        feedThread.start();
        publisher.start();
    }

    /** Starts reading the topics and serving the page; the port must be free (0 takes a free one). */
    public static Dashboard start(Settings settings) {
        return new Dashboard(settings);
    }

    /** The page, e.g. {@code http://127.0.0.1:8088/}. */
    public String url() {
        return server.url();
    }

    public int port() {
        return server.port();
    }

    public DashboardState state() {
        return state;
    }

    public TopicFeed feed() {
        return feed;
    }

    public UpdatePublisher publisher() {
        return publisher;
    }

    private String health(ObjectMapper json) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("readingAllTopics", feed.readingAll());
        h.put("feedFailure", feed.failure() == null ? null : feed.failure().toString());
        h.put("pages", publisher.clients());
        h.put("stateVersion", state.version());
        try {
            return json.writeValueAsString(h);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
        publisher.close();
        feed.close();
        feedThread.join(10_000);
    }
}
