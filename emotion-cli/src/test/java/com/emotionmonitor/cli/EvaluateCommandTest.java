package com.emotionmonitor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.emotionmonitor.model.OfflineDefaults;
import com.emotionmonitor.train.TinyRecipe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/emotion evaluate} on a hand-made 6-row file: the tiny model labels its own training posts correctly
 * (EmotionModelTest asserts that), and two gold labels here are deliberately wrong, so every figure is known.
 */
class EvaluateCommandTest {

    static {
        OfflineDefaults.apply();
    }

    @Test
    void lastLineIsTheExactJsonOfAHandMadeFile(@TempDir Path dir) throws Exception {
        Path model = TinyRecipe.trainAndPublish(dir.resolve("store"), "weibo-emotion", "t1", 1L);
        // TinyRecipe.POSTS: index 0 happy, 6 angry, 12 sad, 18 fear, 24 surprise, 30 neutral.
        String[][] rows = {
            {TinyRecipe.POSTS.get(0).content(), "happy"},
            {TinyRecipe.POSTS.get(6).content(), "angry"},
            {TinyRecipe.POSTS.get(12).content(), "sad"},
            {TinyRecipe.POSTS.get(18).content(), "sad"},       // predicted fear: a false negative for sad
            {TinyRecipe.POSTS.get(24).content(), "surprise"},
            {TinyRecipe.POSTS.get(30).content(), "happy"},     // predicted neutral: a false negative for happy
        };
        ObjectMapper json = new ObjectMapper();
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < rows.length; i++) {
            file.append(json.writeValueAsString(java.util.Map.of("id", i + 1, "content", rows[i][0], "label", rows[i][1]))).append('\n');
        }
        Path data = dir.resolve("six.jsonl");
        Files.writeString(data, file.toString(), StandardCharsets.UTF_8);

        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = EmotionCli.commandLine().execute("evaluate", "--model", model.toString(), "--data", data.toString(), "--device", "cpu");
        } finally {
            System.setOut(stdout);
        }
        assertEquals(0, exit);
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        JsonNode last = json.readTree(lines.get(lines.size() - 1));
        assertEquals(6, last.get("n").asInt());
        assertEquals(4.0 / 6, last.get("accuracy").asDouble(), 1e-4);
        JsonNode pc = last.get("per_class");
        // happy: 1 of 2 gold found, 1 predicted correct -> P 1, R 0.5, F1 2/3
        assertEquals(1.0, pc.get("happy").get("precision").asDouble(), 1e-4);
        assertEquals(0.5, pc.get("happy").get("recall").asDouble(), 1e-4);
        assertEquals(0.6667, pc.get("happy").get("f1").asDouble(), 1e-4);
        // sad: 1 of 2 gold found -> F1 2/3; fear and neutral: predicted once, never gold -> 0
        assertEquals(0.6667, pc.get("sad").get("f1").asDouble(), 1e-4);
        assertEquals(0.0, pc.get("fear").get("f1").asDouble(), 1e-4);
        assertEquals(0.0, pc.get("neutral").get("f1").asDouble(), 1e-4);
        assertEquals(1.0, pc.get("angry").get("f1").asDouble(), 1e-4);
        assertEquals(1.0, pc.get("surprise").get("f1").asDouble(), 1e-4);
        // (2/3 + 1 + 2/3 + 0 + 1 + 0) / 6
        assertEquals((2.0 / 3 + 1 + 2.0 / 3 + 0 + 1 + 0) / 6, last.get("macro_f1").asDouble(), 1e-4);
    }

    @Test
    void aMissingDataFileIsAClearErrorWithExitCode2(@TempDir Path dir) {
        int exit = EmotionCli.commandLine().setExecutionExceptionHandler((e, cli, parsed) -> {
            assertEquals(true, e.getMessage().contains("nope.jsonl") && e.getMessage().contains("does not exist"), e.getMessage());
            return 2;
        }).execute("evaluate", "--model", dir.toString(), "--data", dir.resolve("nope.jsonl").toString());
        assertEquals(2, exit);
    }
}
