package com.emotionmonitor.dashboard.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.dashboard.Records;
import com.emotionmonitor.dashboard.state.DashboardState;
import com.emotionmonitor.schema.Emotion;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real web server on a free loopback port: the page, the chart library from the jar, JSON and the event stream. */
class DashboardServerTest {

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void servesThePageTheChartLibraryAndTheStateOnLoopback() throws Exception {
        DashboardState state = new DashboardState(DashboardState.Limits.defaults(), System::currentTimeMillis);
        try (UpdatePublisher publisher = new UpdatePublisher(state, Duration.ofMillis(100), json);
             DashboardServer server = new DashboardServer(0, publisher, () -> "{\"ok\":true}")) {
            assertTrue(server.url().startsWith("http://127.0.0.1:"), server.url());
            HttpResponse<String> page = get(server.url());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("情绪监测") && page.body().contains("/lib/echarts.min.js"), "the page");
            HttpResponse<byte[]> echarts = http.send(HttpRequest.newBuilder(URI.create(server.url() + "lib/echarts.min.js")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, echarts.statusCode());
            assertTrue(echarts.body().length > 500_000, "ECharts from its WebJar: " + echarts.body().length + " bytes");
            assertEquals(200, get(server.url() + "dashboard.js").statusCode());
            assertEquals("{\"ok\":true}", get(server.url() + "api/health").body());

            state.onStats(Records.window("global", 0, 0, 4, 2, 0, 0, 0, 0));
            JsonNode snap = json.readTree(get(server.url() + "api/snapshot?scope=global").body());
            assertEquals(6, snap.at("/data/windows/0/total").asLong());
        }
    }

    @Test
    void theEventStreamCarriesChineseTextIntact() throws Exception {
        DashboardState state = new DashboardState(DashboardState.Limits.defaults(), System::currentTimeMillis);
        state.onPost(Records.post("p1", "气死我了！😡 #高考# 太过分"), 0);
        state.onAlert(Records.spike("global", Emotion.ANGRY, 0, List.of("p1")));
        try (UpdatePublisher publisher = new UpdatePublisher(state, Duration.ofMillis(100), json);
             DashboardServer server = new DashboardServer(0, publisher, () -> "{}")) {
            publisher.start();
            HttpRequest req = HttpRequest.newBuilder(URI.create(server.url() + "api/updates?scope=global"))
                    .header("Accept", "text/event-stream").build();
            HttpResponse<InputStream> res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, res.statusCode());
            assertTrue(res.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
            try (BufferedReader in = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
                assertEquals("event: update", in.readLine());
                String data = in.readLine();
                assertTrue(data.startsWith("data: "), data);
                JsonNode update = json.readTree(data.substring("data: ".length()));
                assertEquals("气死我了！😡 #高考# 太过分", update.at("/data/alerts/0/examples/0/text").asText());
                assertEquals(1, update.at("/server/clients").asInt());
            }
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
