package com.emotionmonitor.train.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.data.CannedPosts;
import com.emotionmonitor.data.LabeledPost;
import com.emotionmonitor.model.OfflineDefaults;
import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.store.ModelManifest;
import com.emotionmonitor.text.TextPipeline;
import com.emotionmonitor.model.ngram.WeightFormat;
import com.emotionmonitor.model.nn.BlockWeights;
import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.train.HoldOutSplit;
import com.emotionmonitor.train.LabeledSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fine-tuning recipe from scratch on the 36 canned posts (a one-layer BERT, seconds), mixed and published. */
class FineTuneWorkflowTest {

    static {
        OfflineDefaults.apply();
    }

    @Test
    void trainsMixesInTheNgramModelAndPublishes(@TempDir Path dir) throws Exception {
        Path posts = PostFiles.write(dir.resolve("posts.jsonl"), CannedPosts.POSTS);
        Path half = PostFiles.write(dir.resolve("half.jsonl"), CannedPosts.POSTS.subList(0, 18));
        FineTuneWorkflow.Publish publish = new FineTuneWorkflow.Publish(dir.resolve("store"), "tiny", "v1",
                "bin/emotion train finetune --train " + posts);
        PostFiles.Captured progress = new PostFiles.Captured();
        FineTuneWorkflow.Result result = new FineTuneWorkflow(progress.out).run(request(dir, List.of(posts), posts, false,
                60, true, List.of(posts, half), publish));

        Map<String, Object> summary = result.summary();
        assertEquals(List.of("architecture", "best_step", "steps", "training_seconds", "posts", "half", "ensemble_posts",
                "ensemble_half", "ngram_weight", "published"), List.copyOf(summary.keySet()));
        assertEquals("L1-H32-A2", summary.get("architecture"));
        assertEquals(List.of("posts.jsonl", "half.jsonl"), List.copyOf(result.training().reports().keySet()));
        double accuracy = result.training().reports().get("posts.jsonl").accuracy();
        assertEquals(accuracy, (Double) ((Map<?, ?>) summary.get("posts")).get("accuracy"), 1e-4);
        assertTrue(accuracy > 0.9, "a one-layer BERT memorises 36 posts: " + accuracy);

        Path published = result.published();
        assertEquals(dir.resolve("store").resolve("tiny").resolve("v1"), published);
        assertEquals(published.toString(), summary.get("published"));
        ModelManifest manifest = ArtifactFiles.verify(published);
        assertNotNull(manifest.ensemble(), "the n-gram half ships with the version");
        assertEquals(summary.get("ngram_weight"), manifest.ensemble().ngramWeight());
        assertEquals(publish.command(), manifest.training().get("command"));
        assertEquals(List.of(Map.of("file", "posts.jsonl", "sha256", ArtifactFiles.sha256(posts))),
                manifest.training().get("train_files"));
        assertTrue(manifest.metrics().containsKey("bert_only") && manifest.metrics().containsKey("ngram_only"));
        // The drift reference: the gold label shares of the posts trained on (6 of each emotion here).
        assertEquals(36, manifest.referenceDistribution().posts());
        assertEquals(List.of("happy", "angry", "sad", "fear", "surprise", "neutral"),
                List.copyOf(manifest.referenceDistribution().shares().keySet()), "in label order");
        for (double share : manifest.referenceShares()) {
            assertEquals(1.0 / 6, share, 1e-6);
        }

        String text = progress.text();
        assertTrue(text.startsWith("selection on posts.jsonl: 36 posts\n"), text);
        assertTrue(text.contains("== half.jsonl\n"), text);
        assertTrue(text.contains("ensemble on posts.jsonl: n-gram weight "), text);
        assertTrue(text.contains("== ensemble on half.jsonl\n"), text);
    }

    @Test
    void theHoldOutFileTrainsWithoutItsTenthWhichSelects(@TempDir Path dir) throws Exception {
        Path posts = PostFiles.write(dir.resolve("posts.jsonl"), CannedPosts.POSTS);
        Path other = PostFiles.write(dir.resolve("other.jsonl"), CannedPosts.POSTS.subList(0, 6));
        TextPipeline pipeline = TextPipeline.standard(PostFiles.vocabulary(CannedPosts.POSTS));
        WorkflowSupport.TrainingData data = WorkflowSupport.readTraining(List.of(other, posts), List.of(), List.of(posts), pipeline);
        List<LabeledPost> expected = CannedPosts.POSTS.stream().filter(p -> HoldOutSplit.isHeldOut(p.content())).toList();
        assertFalse(expected.isEmpty());
        assertEquals(expected, data.heldOut().get(posts).posts());
        assertEquals(6 + 36 - expected.size(), data.train().size());
        assertEquals("other.jsonl+posts.jsonl", data.train().name());

        PostFiles.Captured progress = new PostFiles.Captured();
        FineTuneWorkflow.Result result = new FineTuneWorkflow(progress.out).run(request(dir, List.of(other, posts), posts, true,
                1, false, List.of(posts), null));
        assertTrue(progress.text().startsWith("selection on posts-holdout.jsonl: " + expected.size() + " posts\n"),
                progress.text());
        assertEquals(List.of("posts.jsonl"), List.copyOf(result.training().reports().keySet()), "a report reads the whole file");
        assertEquals(36, result.training().reports().get("posts.jsonl").n());
        assertNull(result.published());
        assertEquals(List.of("architecture", "best_step", "steps", "training_seconds", "posts"), List.copyOf(result.summary().keySet()));

        assertThrows(IllegalArgumentException.class, () -> request(dir, List.of(other), posts, true, 1, false, List.of(posts),
                null), "the hold-out must be a training file");
    }

    @Test
    void aHoldOutOfEachDomainSelectsOnTheMeanOfTheirMacroF1(@TempDir Path dir) throws Exception {
        // Two "domains": the canned posts, and the same posts with other text around them.
        List<LabeledPost> shifted = CannedPosts.POSTS.stream()
                .map(p -> new LabeledPost(p.id() + "-b", "转发微博：" + p.content() + "！！", p.label(), p.lineNumber())).toList();
        Path a = PostFiles.write(dir.resolve("a_train.jsonl"), CannedPosts.POSTS);
        Path b = PostFiles.write(dir.resolve("b_train.jsonl"), shifted);
        List<LabeledPost> all = new java.util.ArrayList<>(CannedPosts.POSTS);
        all.addAll(shifted);
        TextPipeline pipeline = TextPipeline.standard(PostFiles.vocabulary(all));
        WorkflowSupport.TrainingData data = WorkflowSupport.readTraining(List.of(a, b), List.of(), List.of(a, b), pipeline);
        long heldA = CannedPosts.POSTS.stream().filter(p -> HoldOutSplit.isHeldOut(p.content())).count();
        long heldB = shifted.stream().filter(p -> HoldOutSplit.isHeldOut(p.content())).count();
        assertEquals(List.of(a, b), List.copyOf(data.heldOut().keySet()));
        assertEquals(heldA, data.heldOut().get(a).posts().size());
        assertEquals(heldB, data.heldOut().get(b).posts().size());
        assertEquals(72 - heldA - heldB, data.train().size(), "each file trains without its own tenth");

        // The selection figure is the mean of the two hold-outs' macro-F1, not the macro-F1 of their union.
        LabeledSet setA = LabeledSet.of("a", data.heldOut().get(a).posts(), pipeline, false);
        LabeledSet setB = LabeledSet.of("b", data.heldOut().get(b).posts(), pipeline, false);
        com.emotionmonitor.model.BatchPredictor happy = batch -> batch.stream()
                .map(e -> com.emotionmonitor.model.Prediction.fromProbabilities(new float[] {0.5f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f}))
                .toList();
        com.emotionmonitor.train.Selection both = new com.emotionmonitor.train.Selection(List.of(setA, setB));
        assertEquals((setA.evaluate(happy).macroF1() + setB.evaluate(happy).macroF1()) / 2, both.macroF1(happy), 1e-12);
        assertEquals("a + b", both.name());

        PostFiles.Captured progress = new PostFiles.Captured();
        FineTuneWorkflow.Result result = new FineTuneWorkflow(progress.out).run(new FineTuneWorkflow.Request(null, List.of(a, b),
                List.of(), null, List.of(a, b), List.of(a), 1, 32, 2, 1, 3e-3f, 0.05f, 0f, 0f, 1024, 16, "none", 0, 0, 7L, "cpu",
                dir.resolve("work"), true, 10, new FineTuneWorkflow.Publish(dir.resolve("store"), "tiny", "two", "bin/emotion ..."),
                WeightFormat.F32));
        assertTrue(progress.text().startsWith("selection on a_train-holdout.jsonl + b_train-holdout.jsonl: " + (heldA + heldB)
                + " posts (the mean of their macro-F1)\n"), progress.text());
        assertTrue(progress.text().contains("  b_train-holdout.jsonl: mix "), progress.text());
        ModelManifest m = ArtifactFiles.verify(result.published());
        assertEquals(2, ((List<?>) m.training().get("selection_files")).size());
        for (Object f : (List<?>) m.training().get("train_files")) {
            assertEquals("the selection hold-out: " + HoldOutSplit.RULE, ((java.util.Map<?, ?>) f).get("excluding"));
        }
        assertEquals("a_train-holdout.jsonl + b_train-holdout.jsonl", m.ensemble().selectedOn());
    }

    @Test
    void f16WeightsAreRoundedBeforeTheReportsSoTheManifestDescribesTheStoredFile(@TempDir Path dir) throws Exception {
        Path posts = PostFiles.write(dir.resolve("posts.jsonl"), CannedPosts.POSTS);
        FineTuneWorkflow.Request r = request(dir, List.of(posts), posts, false, 30, false, List.of(posts),
                new FineTuneWorkflow.Publish(dir.resolve("store"), "tiny", "f16", "bin/emotion train finetune ... --weights f16"));
        FineTuneWorkflow.Result result = new FineTuneWorkflow(new PostFiles.Captured().out).run(new FineTuneWorkflow.Request(
                r.pretrained(), r.trainFiles(), r.nlpccFiles(), r.selectionFile(), r.selectOnHoldout(), r.evalFiles(), r.layers(),
                r.hidden(), r.heads(), r.epochs(), r.lr(), r.warmup(), r.dropout(), r.weightDecay(), r.maxTokens(), r.maxBatch(),
                r.classWeighting(), r.evalEvery(), r.maxMinutes(), r.seed(), r.device(), r.workDir(), r.ngram(), r.ngramC(),
                r.publish(), WeightFormat.F16));
        Path weights = result.published().resolve("model.params");
        assertEquals(WeightFormat.F16, BlockWeights.formatOf(weights));
        ModelManifest manifest = ArtifactFiles.verify(result.published());
        assertTrue(String.valueOf(manifest.training().get("bert_weights")).startsWith("f16"), manifest.training().toString());
        // The reported figure is the stored (rounded) model's, to the last post.
        try (EmotionModel stored = EmotionModel.load(result.published(), "cpu")) {
            LabeledSet set = LabeledSet.read(posts, stored.textPipeline(), false);
            assertEquals(result.training().reports().get("posts.jsonl").accuracy(), set.evaluate(stored).accuracy(), 0.0);
        }
    }

    /** From scratch: a one-layer BERT of width 32, no dropout; the n-gram half (if any) with C = 10. */
    private static FineTuneWorkflow.Request request(Path dir, List<Path> train, Path selection, boolean holdOut, int epochs,
            boolean ngram, List<Path> eval, FineTuneWorkflow.Publish publish) {
        return new FineTuneWorkflow.Request(null, train, List.of(), selection, holdOut, eval, 1, 32, 2, epochs, 3e-3f, 0.05f,
                0f, 0f, 1024, 16, "none", 0, 0, 7L, "cpu", dir.resolve("work"), ngram, 10, publish);
    }
}
