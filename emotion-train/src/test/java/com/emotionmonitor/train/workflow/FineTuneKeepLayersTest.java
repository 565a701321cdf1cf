package com.emotionmonitor.train.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.data.CannedPosts;
import com.emotionmonitor.model.OfflineDefaults;
import com.emotionmonitor.model.ngram.WeightFormat;
import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.train.StartWeights;
import com.emotionmonitor.train.StartingPoint;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train finetune --keep-layers N}: a shallower classifier fine-tuned from the lower layers of a deeper start. */
class FineTuneKeepLayersTest {

    static {
        OfflineDefaults.apply();
    }

    @Test
    void aCutStartFineTunesItsLowerLayersAndTheManifestSaysSo(@TempDir Path dir) throws Exception {
        Path posts = PostFiles.write(dir.resolve("posts.jsonl"), CannedPosts.POSTS);
        FineTuneWorkflow.Result deep = new FineTuneWorkflow(new PostFiles.Captured().out).run(request(null, 0, posts, 2, 20,
                3e-3f, dir.resolve("work-deep"), publish(dir, "deep")));
        assertEquals(2, deep.training().architecture().layers());

        // A learning rate too small to move anything: the cut classifier keeps what it started from.
        FineTuneWorkflow.Result cut = new FineTuneWorkflow(new PostFiles.Captured().out).run(request(deep.published(), 1,
                posts, 4, 1, 1e-12f, dir.resolve("work-cut"), publish(dir, "cut")));
        assertEquals(deep.training().architecture().withLayers(1), cut.training().architecture());
        Map<String, float[]> stored = StartWeights.of(StartingPoint.read(deep.published()));
        Map<String, float[]> trained = StartWeights.of(StartingPoint.read(cut.published()));
        assertEquals(stored.size() - StartWeights.inLayer(stored, "layer1"), trained.size(), "all but the upper layer");
        // Both are stored in f16, where a step of lr 1e-12 rounds away.
        trained.forEach((path, values) -> assertTrue(Arrays.equals(stored.get(path), values), path + " is the deeper start's"));
        assertTrue(trained.containsKey("encoder_layer0_qkv_weight") && !trained.containsKey("encoder_layer1_qkv_weight"));
        Map<?, ?> start = (Map<?, ?>) ArtifactFiles.verify(cut.published()).training().get("starting_point");
        assertEquals("1 of 2", start.get("kept_layers"), start.toString());
        assertEquals("deep/v1", start.get("version"));
    }

    @Test
    void aCutNeedsAStartAndADepthItHas(@TempDir Path dir) throws Exception {
        Path posts = PostFiles.write(dir.resolve("posts.jsonl"), CannedPosts.POSTS);
        IllegalArgumentException noStart = assertThrows(IllegalArgumentException.class,
                () -> request(null, 1, posts, 1, 1, 1e-3f, dir.resolve("w"), null));
        assertTrue(noStart.getMessage().contains("--keep-layers needs --pretrained"), noStart.getMessage());

        FineTuneWorkflow.Result one = new FineTuneWorkflow(new PostFiles.Captured().out).run(request(null, 0, posts, 1, 2,
                3e-3f, dir.resolve("work-one"), publish(dir, "one")));
        IllegalArgumentException tooDeep = assertThrows(IllegalArgumentException.class, () -> new FineTuneWorkflow(
                new PostFiles.Captured().out).run(request(one.published(), 2, posts, 1, 1, 1e-3f, dir.resolve("w2"), null)));
        assertEquals(one.published() + " has 1 layers: cannot keep the lower 2 (1..1)", tooDeep.getMessage());
    }

    private static FineTuneWorkflow.Publish publish(Path dir, String name) {
        return new FineTuneWorkflow.Publish(dir.resolve("store"), name, "v1", "bin/emotion train finetune ... --weights f16");
    }

    /** Width 32, no dropout, f16 weights; from scratch with {@code layers} layers, or from {@code pretrained} cut to {@code keep}. */
    private static FineTuneWorkflow.Request request(Path pretrained, int keep, Path posts, int layers, int epochs, float lr,
            Path work, FineTuneWorkflow.Publish publish) {
        return new FineTuneWorkflow.Request(pretrained, keep, List.of(posts), List.of(), posts, List.of(), List.of(posts),
                layers, 32, 2, epochs, lr, 0.05f, 0f, 0f, 1024, 16, "none", 0, 0, 7L, "cpu", work, false, 10, publish,
                WeightFormat.F16, FineTuneWorkflow.Checkpointing.NONE);
    }
}
