package com.emotionmonitor.dashboard.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.dashboard.Records;
import com.emotionmonitor.dashboard.state.DashboardState;
import com.emotionmonitor.schema.Emotion;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class UpdatePublisherTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aBurstOfRecordsCostsOneUpdatePerIntervalNotOnePerRecord() throws Exception {
        DashboardState state = new DashboardState(DashboardState.Limits.defaults(), System::currentTimeMillis);
        List<String> received = new CopyOnWriteArrayList<>();
        try (UpdatePublisher publisher = new UpdatePublisher(state, Duration.ofMillis(100), json)) {
            publisher.start();
            publisher.connect("global", received::add);
            long start = System.nanoTime();
            int posts = 0;
            while (System.nanoTime() - start < 1_000_000_000L) {
                state.onPost(Records.post("p" + posts, "文本"), System.currentTimeMillis());
                state.onEvent(Records.event("p" + posts, Emotion.HAPPY));
                posts++;
            }
            Thread.sleep(250);
            assertTrue(posts > 1_000, "the burst: " + posts + " posts");
            // at most 1 s / 100 ms, plus the first update on connect and timer slack (fewer on a starved machine)
            assertTrue(received.size() >= 2 && received.size() <= 13, received.size() + " updates for " + posts + " posts");
            JsonNode last = json.readTree(received.get(received.size() - 1));
            assertEquals(posts, last.at("/data/throughput/postsRead").asLong(), "the last update has the last record");
        }
    }

    @Test
    void aQuietStateIsRepublishedOnlyAsAHeartbeat() throws Exception {
        DashboardState state = new DashboardState(DashboardState.Limits.defaults(), System::currentTimeMillis);
        List<String> received = new CopyOnWriteArrayList<>();
        try (UpdatePublisher publisher = new UpdatePublisher(state, Duration.ofMillis(50), json)) {
            publisher.start();
            publisher.connect("global", received::add);
            Thread.sleep(1_050); // 21 ticks: the first update, then one heartbeat every 5 ticks
            assertTrue(received.size() >= 2 && received.size() <= 6, received.size() + " updates");
        }
    }

    @Test
    void aSlowPageGetsTheNewestUpdateAndNoQueue() throws Exception {
        DashboardState state = new DashboardState(DashboardState.Limits.defaults(), System::currentTimeMillis);
        List<String> received = new CopyOnWriteArrayList<>();
        try (UpdatePublisher publisher = new UpdatePublisher(state, Duration.ofMillis(20), json)) {
            publisher.start();
            UpdatePublisher.Channel slow = publisher.connect("global", update -> {
                received.add(update);
                sleep(300);
            });
            for (int i = 0; i < 60; i++) {
                state.onPost(Records.post("p" + i, "x"), 0);
                Thread.sleep(20);
            }
            Thread.sleep(700);
            assertTrue(slow.replaced() > 5, "updates replaced while the page was busy: " + slow.replaced());
            assertTrue(received.size() <= 8, received.size() + " updates sent to a page that takes 300 ms each");
            JsonNode last = json.readTree(received.get(received.size() - 1));
            assertEquals(60, last.at("/data/throughput/postsRead").asLong(), "the newest state reached it");
        }
    }

    @Test
    void eachScopeGetsItsOwnWindows() throws Exception {
        DashboardState state = new DashboardState(DashboardState.Limits.defaults(), System::currentTimeMillis);
        state.onStats(Records.window("global", 0, 0, 3, 0, 0, 0, 0, 0));
        state.onStats(Records.window("topic:a", 0, 0, 1, 0, 0, 0, 0, 0));
        try (UpdatePublisher publisher = new UpdatePublisher(state, Duration.ofSeconds(10), json)) {
            assertEquals(3, json.readTree(publisher.render("global")).at("/data/windows/0/total").asLong());
            assertEquals(1, json.readTree(publisher.render("topic:a")).at("/data/windows/0/total").asLong());
            assertEquals(0, json.readTree(publisher.render("topic:none")).at("/data/windows").size());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
