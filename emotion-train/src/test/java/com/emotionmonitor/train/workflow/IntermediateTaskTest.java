package com.emotionmonitor.train.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.data.CannedPosts;
import com.emotionmonitor.data.LabeledPost;
import com.emotionmonitor.model.OfflineDefaults;
import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.store.ModelManifest;
import com.emotionmonitor.train.HoldOutSplit;
import com.emotionmonitor.train.StartingPoint;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The intermediate-task recipe on the canned posts: a first fine-tune on NLPCC-labelled posts alone (selected on a
 * hold-out of that file), published; then the six-way fine-tune starts from that whole published classifier.
 */
class IntermediateTaskTest {

    static {
        OfflineDefaults.apply();
    }

    private static final Map<String, String> NLPCC_TAG = Map.of("happy", "happiness", "angry", "anger", "sad", "sadness",
            "fear", "fear", "surprise", "surprise", "neutral", "none");

    @Test
    void aPublishedClassifierStartsTheNextFineTuneHeadIncluded(@TempDir Path dir) throws Exception {
        Path mix = writeNlpccGzip(dir.resolve("mix.jsonl.gz"), CannedPosts.POSTS);
        Path smp = PostFiles.write(dir.resolve("posts.jsonl"), CannedPosts.POSTS);
        FineTuneWorkflow.Publish publish = new FineTuneWorkflow.Publish(dir.resolve("store"), "stage1", "v1",
                "bin/emotion train finetune --train-nlpcc " + mix + " --select-on-holdout " + mix);
        PostFiles.Captured progress = new PostFiles.Captured();
        FineTuneWorkflow.Result first = new FineTuneWorkflow(progress.out).run(new FineTuneWorkflow.Request(null, List.of(),
                List.of(mix), mix, true, List.of(smp), 1, 32, 2, 60, 3e-3f, 0.05f, 0f, 0f, 1024, 16, "none", 0, 0, 7L, "cpu",
                dir.resolve("work1"), false, 10, publish));

        long heldOut = CannedPosts.POSTS.stream().filter(p -> HoldOutSplit.isHeldOut(p.content())).count();
        assertTrue(progress.text().startsWith("selection on mix-holdout.jsonl: " + heldOut + " posts\n"), progress.text());
        double stage1 = first.training().reports().get("posts.jsonl").accuracy();
        // Selected on a hold-out of a few posts, so not memorised; but NLPCC tags map onto the six classes, so the
        // SMP-labelled copy of the same posts scores above chance (1/6).
        assertTrue(stage1 > 0.3, "stage 1 on the SMP-labelled copy: " + stage1);
        ModelManifest m = ArtifactFiles.verify(first.published());
        Map<?, ?> trainFile = (Map<?, ?>) ((List<?>) m.training().get("train_files")).get(0);
        assertEquals("mix.jsonl.gz", trainFile.get("file"));
        assertEquals("the selection hold-out: " + HoldOutSplit.RULE, trainFile.get("excluding"));
        assertTrue(String.valueOf(trainFile.get("labels")).startsWith("nlpcc: "), String.valueOf(trainFile.get("labels")));

        StartingPoint start = StartingPoint.read(first.published());
        assertTrue(start.wholeClassifier(), "a classifier version starts the whole classifier");
        assertTrue(start.describe().startsWith("the published classifier "), start.describe());
        // Stage 2 with a learning rate too small to move anything: it scores what stage 1 scored, so the head was
        // loaded (a fresh head would guess).
        FineTuneWorkflow.Result second = new FineTuneWorkflow(new PostFiles.Captured().out).run(new FineTuneWorkflow.Request(
                first.published(), List.of(smp), List.of(), smp, false, List.of(smp), 1, 32, 2, 1, 1e-12f, 0.05f, 0f, 0f,
                1024, 16, "none", 0, 0, 7L, "cpu", dir.resolve("work2"), false, 10,
                new FineTuneWorkflow.Publish(dir.resolve("store"), "stage2", "v1", "bin/emotion train finetune ...")));
        assertEquals(stage1, second.training().reports().get("posts.jsonl").accuracy(), 1e-9);
        assertEquals(Map.of("kind", "classifier", "path", first.published().toString(), "version", "stage1/v1",
                "manifest_sha256", ArtifactFiles.sha256(first.published().resolve("manifest.json"))),
                ArtifactFiles.verify(second.published()).training().get("starting_point"), "the manifest names its start");
        assertEquals(first.training().architecture(), second.training().architecture());

        Path weights = first.published().resolve("model.params");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 1] ^= 1;
        Files.write(weights, bytes);
        assertThrows(RuntimeException.class, () -> StartingPoint.read(first.published()), "a tampered version is refused");
    }

    @Test
    void withoutAnyTrainingFileTheRequestIsRefused(@TempDir Path dir) {
        Path f = dir.resolve("x.jsonl");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FineTuneWorkflow.Request(null,
                List.of(), List.of(), f, false, List.of(), 1, 32, 2, 1, 1e-3f, 0.05f, 0f, 0f, 1024, 16, "none", 0, 0, 7L, "cpu",
                dir, false, 10, null));
        assertEquals("no training files", e.getMessage());
    }

    private static Path writeNlpccGzip(Path file, List<LabeledPost> posts) throws Exception {
        ObjectMapper json = new ObjectMapper();
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            for (LabeledPost p : posts) {
                out.write((json.writeValueAsString(Map.of("content", p.content(), "label", NLPCC_TAG.get(p.label())))
                        + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return file;
    }
}
