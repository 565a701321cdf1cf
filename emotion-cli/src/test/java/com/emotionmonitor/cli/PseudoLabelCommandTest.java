package com.emotionmonitor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.data.JsonlPostReader;
import com.emotionmonitor.data.LabeledPost;
import com.emotionmonitor.data.OnError;
import com.emotionmonitor.model.OfflineDefaults;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.train.TinyRecipe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train pseudo-label} with the tiny model as teacher over unseen mixes of the canned posts: every kept post
 * carries the teacher's own top class and probability, an excluded text never comes out, the quotas of a shares file
 * bind, and the output is a training file the fine-tune's reader takes.
 */
class PseudoLabelCommandTest {

    static {
        OfflineDefaults.apply();
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void keepsTheTeachersConfidentLabelsWithinTheQuotasAndLeavesExcludedTextsOut(@TempDir Path dir) throws Exception {
        Path teacher = TinyRecipe.trainAndPublish(dir.resolve("store"), "weibo-emotion", "t1", 1L);
        List<LabeledPost> canned = TinyRecipe.POSTS;
        StringBuilder unlabelled = new StringBuilder();
        for (int i = 0; i < canned.size(); i++) {
            String mixed = canned.get(i).content() + canned.get((i + 5) % canned.size()).content();
            unlabelled.append(JSON.writeValueAsString(Map.of("id", "u" + i, "content", mixed))).append('\n');
        }
        // A text that is also in an excluded file (with other spacing): never labelled.
        String excludedText = "这条 帖子 在评测集里";
        unlabelled.append(JSON.writeValueAsString(Map.of("id", "x", "content", excludedText.replace(" ", "")))).append('\n');
        Path data = dir.resolve("unlabelled.jsonl");
        Files.writeString(data, unlabelled.toString(), StandardCharsets.UTF_8);
        Path evalLike = dir.resolve("eval.jsonl");
        Files.writeString(evalLike, JSON.writeValueAsString(Map.of("id", 1, "content", excludedText, "label", "fear")) + "\n");
        Path sharesAll = dir.resolve("shares.jsonl");
        StringBuilder shares = new StringBuilder();
        for (LabeledPost p : canned) {
            shares.append(JSON.writeValueAsString(Map.of("id", p.id(), "content", p.content(), "label", p.label()))).append('\n');
        }
        Files.writeString(sharesAll, shares.toString(), StandardCharsets.UTF_8);

        // No threshold, quotas far above the data: every post but the excluded one is kept, with the teacher's label.
        Path all = dir.resolve("all.jsonl");
        JsonNode summary = lastJson("train", "pseudo-label", "--teacher", teacher.toString(), "--data", data.toString(),
                "--exclude", evalLike.toString(), "--shares-of", sharesAll.toString(), "--total", "100000",
                "--min-confidence", "0", "--out", all.toString(), "--device", "cpu");
        List<LabeledPost> kept = JsonlPostReader.readAll(all, OnError.FAIL).posts();
        assertEquals(canned.size(), kept.size());
        assertEquals(canned.size(), summary.get("kept").asInt());
        assertEquals(1, summary.get("left_out_as_excluded").asInt());
        assertFalse(kept.stream().anyMatch(p -> p.id().equals("x")));
        Map<String, Integer> perClass = new HashMap<>();
        try (EmotionModel model = EmotionModel.load(teacher, "cpu")) {
            List<String> lines = Files.readAllLines(all, StandardCharsets.UTF_8);
            for (int i = 0; i < kept.size(); i++) {
                Prediction own = model.predict(List.of(model.textPipeline().prepare(kept.get(i).content()).encoding())).get(0);
                assertEquals(own.emotion().label(), kept.get(i).label(), kept.get(i).content());
                float top = own.probabilities()[own.emotion().ordinal()];
                assertEquals(top, JSON.readTree(lines.get(i)).get("confidence").asDouble(), 1e-4);
                perClass.merge(kept.get(i).label(), 1, Integer::sum);
            }
        }

        // Only happy in the shares file and a total of 2: at most two posts, both happy, the teacher's most confident.
        Path happyOnly = dir.resolve("happy-shares.jsonl");
        Files.writeString(happyOnly, JSON.writeValueAsString(Map.of("id", 1, "content", "开心", "label", "happy")) + "\n");
        Path two = dir.resolve("two.jsonl");
        lastJson("train", "pseudo-label", "--teacher", teacher.toString(), "--data", data.toString(),
                "--exclude", evalLike.toString(), "--shares-of", happyOnly.toString(), "--total", "2",
                "--min-confidence", "0", "--out", two.toString(), "--device", "cpu");
        List<LabeledPost> happy = JsonlPostReader.readAll(two, OnError.FAIL).posts();
        assertEquals(Math.min(2, perClass.getOrDefault("happy", 0)), happy.size());
        assertTrue(happy.stream().allMatch(p -> p.label().equals("happy")));
        double lowestKept = confidences(two).stream().mapToDouble(Double::doubleValue).min().orElse(1);
        List<Double> allHappy = new java.util.ArrayList<>();
        List<String> allLines = Files.readAllLines(all, StandardCharsets.UTF_8);
        for (int i = 0; i < kept.size(); i++) {
            if (kept.get(i).label().equals("happy")) {
                allHappy.add(JSON.readTree(allLines.get(i)).get("confidence").asDouble());
            }
        }
        allHappy.sort(java.util.Comparator.reverseOrder());
        if (allHappy.size() > 2) {
            assertTrue(lowestKept >= allHappy.get(2), "kept " + lowestKept + " below a dropped " + allHappy.get(2));
        }

        // A threshold above every probability keeps nothing.
        Path none = dir.resolve("none.jsonl");
        JsonNode empty = lastJson("train", "pseudo-label", "--teacher", teacher.toString(), "--data", data.toString(),
                "--exclude", evalLike.toString(), "--shares-of", sharesAll.toString(), "--min-confidence", "1.01",
                "--out", none.toString(), "--device", "cpu");
        assertEquals(0, empty.get("kept").asInt());
        assertEquals(0, Files.size(none));
    }

    @Test
    void aMissingDataFileIsNamed(@TempDir Path dir) {
        int exit = EmotionCli.commandLine().setExecutionExceptionHandler((e, cli, parsed) -> {
            assertTrue(e.getMessage().contains("nope.jsonl") && e.getMessage().contains("does not exist"), e.getMessage());
            return 2;
        }).execute("train", "pseudo-label", "--data", dir.resolve("nope.jsonl").toString(), "--out", dir.resolve("o.jsonl").toString());
        assertEquals(2, exit);
    }

    private static List<Double> confidences(Path file) throws Exception {
        List<Double> out = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            out.add(JSON.readTree(line).get("confidence").asDouble());
        }
        return out;
    }

    /** The last line of a successful run's stdout, as JSON. */
    private static JsonNode lastJson(String... args) throws Exception {
        List<String> lines = CliRun.run(0, args).stdout().lines().toList();
        return JSON.readTree(lines.get(lines.size() - 1));
    }
}
