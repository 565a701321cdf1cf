package com.emotionmonitor.job.model;

import com.emotionmonitor.data.LabeledPost;
import com.emotionmonitor.model.BatchPredictor;
import com.emotionmonitor.model.ModelLoadException;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.text.Encoding;
import com.emotionmonitor.text.TextPipeline;
import com.emotionmonitor.data.CannedPosts;
import java.util.ArrayList;
import java.util.List;

/**
 * The last check before a version serves: canned real-looking posts (six per emotion) through the version's own
 * text pipeline and one batched forward pass. Loading proves the files are intact; this proves the weights, the
 * vocabulary and the pipeline work together and produce probability distributions.
 */
public final class SmokeInference {

    /** The canned posts: {@link CannedPosts#POSTS} (short Weibo-style texts, six per emotion). */
    static final List<String> POSTS = CannedPosts.POSTS.stream().map(LabeledPost::content).toList();

    private SmokeInference() {}

    /** @throws ModelLoadException saying what went wrong */
    public static void check(String what, TextPipeline pipeline, BatchPredictor predictor) {
        List<Encoding> batch = new ArrayList<>(POSTS.size());
        try {
            for (String post : POSTS) {
                batch.add(pipeline.prepare(post).encoding());
            }
        } catch (RuntimeException e) {
            throw new ModelLoadException(what + ": smoke inference failed: its text pipeline throws on a canned post: " + e, e);
        }
        List<Prediction> out;
        try {
            out = predictor.predict(batch);
        } catch (RuntimeException e) {
            throw new ModelLoadException(what + ": smoke inference failed: the forward pass throws: " + e, e);
        }
        if (out == null || out.size() != batch.size()) {
            throw new ModelLoadException(what + ": smoke inference failed: " + (out == null ? "no" : out.size())
                    + " predictions for " + batch.size() + " canned posts");
        }
        for (int i = 0; i < out.size(); i++) {
            double sum = 0;
            for (float p : out.get(i).probabilities()) {
                if (!Float.isFinite(p) || p < 0 || p > 1) {
                    throw new ModelLoadException(what + ": smoke inference failed: probability " + p + " for '" + POSTS.get(i) + "'");
                }
                sum += p;
            }
            if (Math.abs(sum - 1) > 1e-3) {
                throw new ModelLoadException(what + ": smoke inference failed: probabilities sum to " + sum + " for '"
                        + POSTS.get(i) + "'");
            }
        }
    }
}
