package com.emotionmonitor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.dashboard.Dashboard;
import com.emotionmonitor.dashboard.feed.DashboardTopics;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code bin/emotion dashboard}'s flags: what they become, and the refusals. */
class DashboardCommandTest {

    @Test
    void flagsBecomeTheDashboardsSettings() throws Exception {
        DashboardCommand command = new DashboardCommand();
        new CommandLine(command).parseArgs("--bootstrap-servers", "127.0.0.1:1", "--port", "0", "--stats-topic", "s",
                "--history", "30min", "--update-interval", "250ms", "--text-cache", "10", "--max-topics", "7");
        Dashboard.Settings s = command.settings();
        assertEquals("127.0.0.1:1", s.kafkaClient().getProperty("bootstrap.servers"));
        assertEquals(0, s.port());
        assertEquals(new DashboardTopics("social-posts", "emotion-events", "s", "emotion-alerts", "model-status",
                "emotion-dead-letters", "model-comparisons", "emotion-drift-alerts"), s.topics());
        assertEquals(Duration.ofMinutes(30), s.limits().history());
        assertEquals(Duration.ofMillis(250), s.updateInterval());
        assertEquals(10, s.limits().maxPostTexts());
        assertEquals(7, s.limits().maxTopics());
    }

    @Test
    void refusesBadFlagsAndATakenPort() throws Exception {
        assertTrue(CliRun.run(2, "dashboard", "--port", "70000").stderr().contains("--port must be 0-65535"));
        assertTrue(CliRun.run(2, "dashboard", "--update-interval", "1ms").stderr().contains("--update-interval"));
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            String err = CliRun.run(2, "dashboard", "--port", Integer.toString(taken.getLocalPort())).stderr();
            assertTrue(err.contains("cannot serve on 127.0.0.1:" + taken.getLocalPort()), err);
        }
    }
}
