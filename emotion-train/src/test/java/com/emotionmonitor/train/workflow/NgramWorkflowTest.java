package com.emotionmonitor.train.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.data.CannedPosts;
import com.emotionmonitor.data.LabeledPost;
import com.emotionmonitor.model.ngram.NgramClassifier;
import com.emotionmonitor.model.ngram.NgramSettings;
import com.emotionmonitor.train.ngram.NgramTrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The n-gram recipe on the 36 canned posts: trained, saved, reloaded, measured and timed in well under a second. */
class NgramWorkflowTest {

    @Test
    void trainsSavesAndMeasuresTheReloadedModel(@TempDir Path dir) throws Exception {
        Path posts = PostFiles.write(dir.resolve("posts.jsonl"), CannedPosts.POSTS);
        Path half = PostFiles.write(dir.resolve("half.jsonl"), CannedPosts.POSTS.subList(0, 18));
        List<Integer> opened = new ArrayList<>();
        List<Integer> iterations = new ArrayList<>();
        int[] closed = {0};
        PostFiles.Captured progress = new PostFiles.Captured();
        NgramWorkflow workflow = new NgramWorkflow(progress.out, cap -> {
            opened.add(cap);
            return new NgramWorkflow.Progress() {
                @Override
                public void iteration(int iteration, double loss, double gradientMaxNorm) {
                    iterations.add(iteration);
                }

                @Override
                public void close() {
                    closed[0]++;
                }
            };
        });
        NgramSettings settings = new NgramSettings(12, 1, 2, false, true, 1);
        NgramTrainingConfig config = NgramTrainingConfig.defaults().withC(10).withFormat(com.emotionmonitor.model.ngram.WeightFormat.F32);
        NgramWorkflow.Result result = workflow.run(new NgramWorkflow.Request(List.of(posts), List.of(), List.of(posts, half),
                PostFiles.vocabulary(CannedPosts.POSTS), settings, config, dir.resolve("model"), 1));

        assertEquals(List.of(config.maxIterations()), opened, "one watcher, told the iteration cap");
        assertEquals(1, closed[0], "closed as training ends");
        assertEquals(result.training().iterations(), iterations.size());

        Path file = dir.resolve("model").resolve(NgramClassifier.FILE_NAME);
        assertEquals(file, result.modelFile());
        assertTrue(Files.isRegularFile(file));
        assertEquals(List.of("posts.jsonl", "half.jsonl"), List.copyOf(result.reports().keySet()));
        assertEquals(1.0, result.reports().get("posts.jsonl").accuracy(), 1e-9, "36 posts, 4096 buckets: memorised");
        assertEquals(18, result.reports().get("half.jsonl").n());

        Map<String, Object> summary = result.summary();
        assertEquals(List.of("model", "train", "settings", "training", "model_file", "model_bytes", "eval", "predict_speed"),
                List.copyOf(summary.keySet()));
        assertEquals(List.of(posts.toString()), summary.get("train"));
        assertEquals(Files.size(file), summary.get("model_bytes"));
        assertEquals(36, ((Map<?, ?>) summary.get("training")).get("posts"));
        assertEquals(List.of("posts", "half"), List.copyOf(((Map<?, ?>) summary.get("eval")).keySet()));
        assertEquals(36L + 18L, ((Map<?, ?>) summary.get("predict_speed")).get("posts"), "one timed pass over both files");

        String text = progress.text();
        assertTrue(text.startsWith("training on posts.jsonl: 36 posts (0 empty after cleaning dropped)"), text);
        assertTrue(text.contains("the figures below are from the reloaded file"), text);
        assertTrue(text.contains("== half.jsonl"), text);
        assertTrue(text.contains("posts.jsonl: macro-F1 1.0000 accuracy 1.0000 (n=36)"), text);
    }

    @Test
    void extraNlpccFilesJoinTheTrainingSetAndStayInMemoryWithoutASaveDir(@TempDir Path dir) throws Exception {
        Path posts = PostFiles.write(dir.resolve("posts.jsonl"), CannedPosts.POSTS);
        List<LabeledPost> nlpcc = List.of(new LabeledPost("n-1", "开心开心", "happiness", 1),
                new LabeledPost("n-2", "讨厌死了", "disgust", 2));
        Path extra = PostFiles.write(dir.resolve("nlpcc.jsonl"), nlpcc);
        NgramWorkflow.Result result = new NgramWorkflow(new PostFiles.Captured().out).run(new NgramWorkflow.Request(
                List.of(posts), List.of(extra), List.of(posts), PostFiles.vocabulary(CannedPosts.POSTS), NgramSettings.defaults(),
                NgramTrainingConfig.defaults(), null, 0));
        assertEquals(null, result.modelFile());
        assertNotNull(result.model());
        assertEquals(38, ((Map<?, ?>) result.summary().get("training")).get("posts"));
        assertEquals(List.of(extra.toString()), result.summary().get("train_nlpcc"));
        assertTrue(!result.summary().containsKey("predict_speed") && !result.summary().containsKey("model_file"));
    }
}
