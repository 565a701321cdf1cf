package com.emotionmonitor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.data.LabeledPost;
import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.model.OfflineDefaults;
import com.emotionmonitor.train.TinyRecipe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/emotion train route} end to end on two tiny classifiers: the first half of the tiny posts is
 * one domain, the second half the other, and the published version routes each eval file to its side.
 */
class RouteCommandTest {

    static {
        OfflineDefaults.apply();
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path dir;
    static Path main;
    static Path expert;
    static Path calm;
    static Path tense;

    @BeforeAll
    static void twoTinyVersionsAndTwoDomains() throws Exception {
        main = TinyRecipe.trainAndPublish(dir.resolve("store"), "tiny", "main", 1L);
        expert = TinyRecipe.trainAndPublish(dir.resolve("store"), "tiny", "expert", 2L);
        int half = TinyRecipe.POSTS.size() / 2;
        calm = write(dir.resolve("calm.jsonl"), TinyRecipe.POSTS.subList(0, half));
        tense = write(dir.resolve("tense.jsonl"), TinyRecipe.POSTS.subList(half, TinyRecipe.POSTS.size()));
    }

    @Test
    void publishesARoutedVersionMeasuredPerDomain() throws Exception {
        String out = CliRun.run(0, "train", "route", "--main", main.toString(), "--expert", expert.toString(), "--main-domain",
                calm.toString(), "--expert-domain", tense.toString(), "--domains", "calm,tense", "--eval", "calm=" + calm,
                "--eval", "tense=" + tense, "--publish-version", "routed", "--store", dir.resolve("store").toString(), "--device",
                "cpu").stdout();
        String[] lines = out.strip().split("\n");
        JsonNode summary = JSON.readTree(lines[lines.length - 1]);
        assertEquals(0.0, summary.at("/metrics/calm.jsonl/share_routed_to_expert").asDouble(), "calm posts stay on the main model");
        assertEquals(1.0, summary.at("/metrics/tense.jsonl/share_routed_to_expert").asDouble(), "tense posts go to the expert");
        assertEquals(1.0, summary.at("/metrics/tense.jsonl/accuracy").asDouble(), "the expert memorised its tiny posts");
        assertTrue(summary.at("/metrics/main_only").isMissingNode(), "the sources' figures stay in the manifest");
        Path published = Path.of(summary.get("published").asText());
        var manifest = ArtifactFiles.verify(published);
        assertNotNull(manifest.routing());
        assertTrue(manifest.metrics().containsKey("main_only"));
        assertTrue(((String) manifest.training().get("command")).contains("--eval tense=" + tense));

        // model publish copies a routed version whole: routing, the expert's files and the gate
        CliRun.run(0, "model", "publish", published.toString(), "--version", "copied", "--model-store", dir.resolve("other").toString());
        var copied = ArtifactFiles.verify(dir.resolve("other").resolve("weibo-emotion").resolve("copied"));
        assertEquals(manifest.routing(), copied.routing());
        assertEquals(manifest.files(), copied.files());
    }

    @Test
    void aMissingVersionDirectoryIsNamed() {
        String err = CliRun.run(2, "train", "route", "--main", dir.resolve("absent").toString(), "--expert", expert.toString(),
                "--publish-version", "x", "--store", dir.resolve("store").toString()).stderr();
        assertTrue(err.contains("absent"), err);
    }

    @Test
    void anEvalDomainMustBeAGateDomain() {
        String err = CliRun.run(2, "train", "route", "--main", main.toString(), "--expert", expert.toString(), "--main-domain",
                calm.toString(), "--expert-domain", tense.toString(), "--eval", "covid=" + tense, "--publish-version", "x",
                "--store", dir.resolve("store").toString()).stderr();
        assertTrue(err.contains("'covid' is not one of --domains [usual, virus]"), err);
    }

    @Test
    void theThresholdIsAProbability() {
        String err = CliRun.run(2, "train", "route", "--main", main.toString(), "--expert", expert.toString(), "--main-domain",
                calm.toString(), "--expert-domain", tense.toString(), "--eval", "usual=" + calm, "--threshold", "1.5",
                "--publish-version", "x", "--store", dir.resolve("store").toString()).stderr();
        assertTrue(err.contains("--threshold must be in (0, 1)"), err);
    }

    private static Path write(Path file, List<LabeledPost> posts) throws Exception {
        List<String> lines = new ArrayList<>();
        for (LabeledPost p : posts) {
            lines.add(JSON.writeValueAsString(Map.of("id", p.id(), "content", p.content(), "label", p.label())));
        }
        return Files.write(file, lines);
    }
}
