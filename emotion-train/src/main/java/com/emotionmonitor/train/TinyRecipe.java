package com.emotionmonitor.train;

import com.emotionmonitor.data.CannedPosts;
import com.emotionmonitor.data.LabeledPost;
import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.store.ReferenceDistribution;
import com.emotionmonitor.text.PostPreprocessor;
import com.emotionmonitor.text.Preprocessing;
import com.emotionmonitor.text.TextPipeline;
import com.emotionmonitor.text.Vocabulary;
import com.emotionmonitor.text.VocabularyBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The tiny recipe: a real emotion model version (manifest, checksums, weights, vocabulary) trained in seconds on the
 * 36 canned posts, for trying the pipeline before any model is published ({@code bin/emotion demo --train-tiny},
 * {@code deploy/local/smoke.sh}) and for the trainer's own tests. It memorises its training posts; it is not a useful
 * classifier, and its manifest says so. Other modules' tests use the testkit's {@code TinyModels}, built on this.
 */
public final class TinyRecipe {

    /** The training posts: {@link CannedPosts#POSTS} (36 hand-written posts, six per emotion). */
    public static final List<LabeledPost> POSTS = CannedPosts.POSTS;

    private TinyRecipe() {}

    /** Trains on {@link #POSTS} and publishes {@code storeRoot/name/version}; returns the version directory. */
    public static Path trainAndPublish(Path storeRoot, String name, String version, long seed) throws IOException {
        VocabularyBuilder vb = new VocabularyBuilder();
        PostPreprocessor pre = PostPreprocessor.standard();
        POSTS.forEach(p -> vb.add(pre.prepare(p.content()).text()));
        Vocabulary vocab = vb.build(1, 1000, 0);
        TextPipeline pipeline = TextPipeline.standard(vocab);
        LabeledSet train = LabeledSet.of("tiny-train", POSTS, pipeline, true);
        Path work = Files.createTempDirectory("tiny-model");
        try {
            FineTuneConfig cfg = new FineTuneConfig(null, new BertConfig(vocab.size(), 32, 1, 2, 64, Preprocessing.MAX_CHARS + 2, 2, 0f),
                    100, 5e-3f, 0.05f, 0f, 0f, 4096, 64, "none", 10, 0, seed, "cpu", work);
            FineTuner.Result r = new FineTuner(cfg).run(vocab, train, train, List.of(train));
            return ClassifierPublisher.publish(r, storeRoot, name, version, null,
                    Map.of("data", "CannedPosts.POSTS: 36 hand-written posts (6 per emotion)", "purpose",
                            "tests and smoke checks only: memorises its training posts", "seed", seed),
                    ReferenceDistribution.of(train.labels(), "gold labels of CannedPosts.POSTS"));
        } finally {
            CheckpointDirectory.deleteTree(work);
        }
    }
}
