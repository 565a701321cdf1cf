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
    void meanWithScoresTheMeanOfTheVersionsProbabilities(@TempDir Path dir) throws Exception {
        Path a = TinyRecipe.trainAndPublish(dir.resolve("store"), "weibo-emotion", "a", 1L);
        Path b = TinyRecipe.trainAndPublish(dir.resolve("store"), "weibo-emotion", "b", 2L);
        // Posts the tiny models never saw, with labels, so the two disagree now and then.
        ObjectMapper json = new ObjectMapper();
        StringBuilder file = new StringBuilder();
        List<com.emotionmonitor.data.LabeledPost> posts = com.emotionmonitor.data.CannedPosts.POSTS;
        for (int i = 0; i < posts.size(); i++) {
            String mixed = posts.get(i).content() + posts.get((i + 7) % posts.size()).content();
            file.append(json.writeValueAsString(java.util.Map.of("id", i, "content", mixed, "label", posts.get(i).label()))).append('\n');
        }
        Path data = dir.resolve("mixed.jsonl");
        Files.writeString(data, file.toString(), StandardCharsets.UTF_8);

        // The expected figures, from the two models' own probabilities averaged here.
        com.emotionmonitor.train.EvaluationReport expected = new com.emotionmonitor.train.EvaluationReport();
        List<String> expectedLabels = new java.util.ArrayList<>();
        try (com.emotionmonitor.serving.EmotionModel ma = com.emotionmonitor.serving.EmotionModel.load(a, "cpu");
             com.emotionmonitor.serving.EmotionModel mb = com.emotionmonitor.serving.EmotionModel.load(b, "cpu")) {
            com.emotionmonitor.train.LabeledSet set = com.emotionmonitor.train.LabeledSet.read(data, ma.textPipeline(), false);
            List<com.emotionmonitor.model.Prediction> pa = ma.predict(set.encodings());
            List<com.emotionmonitor.model.Prediction> pb = mb.predict(set.encodings());
            for (int i = 0; i < set.size(); i++) {
                float[] m = new float[pa.get(i).probabilities().length];
                for (int c = 0; c < m.length; c++) {
                    m[c] = (pa.get(i).probabilities()[c] + pb.get(i).probabilities()[c]) / 2;
                }
                expected.add(set.labels().get(i), com.emotionmonitor.model.Prediction.fromProbabilities(m).emotion());
                expectedLabels.add(com.emotionmonitor.model.Prediction.fromProbabilities(m).emotion().label());
            }
        }
        Path rows = dir.resolve("predictions.jsonl");
        JsonNode mean = lastJson("evaluate", "--model", a.toString(), "--mean-with", b.toString(), "--data", data.toString(),
                "--device", "cpu", "--predictions", rows.toString());
        assertEquals(expected.accuracy(), mean.get("accuracy").asDouble(), 1e-4);
        assertEquals(expected.macroF1(), mean.get("macro_f1").asDouble(), 1e-4);
        assertEquals(posts.size(), mean.get("n").asInt());
        // --predictions: one row per post, in file order, with the mean's decision and its probabilities.
        List<JsonNode> written = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(rows)) {
            written.add(json.readTree(line));
        }
        assertEquals(expectedLabels, written.stream().map(r -> r.get("predicted").asText()).toList());
        assertEquals(posts.get(4).label(), written.get(4).get("gold").asText());
        assertEquals("4", written.get(4).get("id").asText());
        assertEquals(6, written.get(4).get("probabilities").size());
    }

    @Test
    void holdoutScoresExactlyTheTenthThatFineTuningSetsAside(@TempDir Path dir) throws Exception {
        Path model = TinyRecipe.trainAndPublish(dir.resolve("store"), "weibo-emotion", "t1", 1L);
        ObjectMapper json = new ObjectMapper();
        List<com.emotionmonitor.data.LabeledPost> posts = com.emotionmonitor.data.CannedPosts.POSTS;
        StringBuilder all = new StringBuilder();
        StringBuilder heldOut = new StringBuilder();
        int held = 0;
        int total = 0;
        for (int copy = 0; copy < 4; copy++) {
            for (int i = 0; i < posts.size(); i++, total++) {
                String content = posts.get(i).content() + " #" + copy;
                String row = json.writeValueAsString(java.util.Map.of("id", total, "content", content,
                        "label", posts.get((i + copy) % posts.size()).label())) + "\n";
                all.append(row);
                if (com.emotionmonitor.train.HoldOutSplit.isHeldOut(content)) {
                    heldOut.append(row);
                    held++;
                }
            }
        }
        Path trainFile = dir.resolve("train.jsonl");
        Path heldOutFile = dir.resolve("held-out.jsonl");
        Files.writeString(trainFile, all.toString(), StandardCharsets.UTF_8);
        Files.writeString(heldOutFile, heldOut.toString(), StandardCharsets.UTF_8);
        assertEquals(true, held > 0 && held < total, held + " of " + total + " held out");

        JsonNode viaFlag = lastJson("evaluate", "--model", model.toString(), "--data", trainFile.toString(), "--holdout",
                "--device", "cpu");
        JsonNode direct = lastJson("evaluate", "--model", model.toString(), "--data", heldOutFile.toString(), "--device", "cpu");
        assertEquals(held, viaFlag.get("n").asInt());
        assertEquals(direct, viaFlag);
        JsonNode whole = lastJson("evaluate", "--model", model.toString(), "--data", trainFile.toString(), "--device", "cpu");
        assertEquals(total, whole.get("n").asInt());
    }

    private static JsonNode lastJson(String... args) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = EmotionCli.commandLine().execute(args);
        } finally {
            System.setOut(stdout);
        }
        assertEquals(0, exit);
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        return new ObjectMapper().readTree(lines.get(lines.size() - 1));
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
