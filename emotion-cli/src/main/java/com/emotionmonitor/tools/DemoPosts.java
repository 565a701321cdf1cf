package com.emotionmonitor.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The bundled real posts the demo replays (see resources/demo/README.md for their provenance). */
public final class DemoPosts {

    public static final String RESOURCE = "/demo/usual_eval_sample.jsonl";
    public static final String DATASET = "smp2020-ewect/usual_eval";

    /** One sample line: the dataset id, the raw text and the gold label (tracing only; the job never reads it). */
    public record SamplePost(String datasetId, String content, String label) {}

    private DemoPosts() {}

    public static List<SamplePost> load() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<SamplePost> posts = new ArrayList<>();
        try (InputStream in = DemoPosts.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("demo sample " + RESOURCE + " is not on the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int n = 0;
            while ((line = reader.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = json.readTree(line);
                if (!node.hasNonNull("id") || !node.hasNonNull("content")) {
                    throw new IOException(RESOURCE + " line " + n + " lacks id or content");
                }
                posts.add(new SamplePost(node.get("id").asText(), node.get("content").asText(),
                        node.hasNonNull("label") ? node.get("label").asText() : null));
            }
        }
        if (posts.isEmpty()) {
            throw new IOException(RESOURCE + " holds no posts");
        }
        return posts;
    }
}
