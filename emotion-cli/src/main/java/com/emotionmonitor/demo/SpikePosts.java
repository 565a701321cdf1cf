package com.emotionmonitor.demo;

import com.emotionmonitor.tools.DemoPosts;

import com.emotionmonitor.model.Emotion;
import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.model.Prediction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the real posts a demo spike injects: the bundled sample's posts whose gold label is the emotion, narrowed to
 * those the served model also labels so. The detector watches the model's labels, so a burst of posts the model
 * labels otherwise would be no spike at all (a weak model, such as the tiny test model, labels most of them otherwise);
 * the narrowing is said in the log and the summary. If the model agrees on none, every post of the label is used.
 */
public final class SpikePosts {

    /** The posts and how they were chosen. */
    public record Selection(List<DemoPosts.SamplePost> posts, String description) {}

    private SpikePosts() {}

    public static Selection select(List<DemoPosts.SamplePost> sample, Emotion emotion, Path modelVersionDir) {
        List<DemoPosts.SamplePost> gold = sample.stream().filter(p -> emotion.label().equals(p.label())).toList();
        if (gold.isEmpty()) {
            throw new IllegalArgumentException("the bundled sample has no post labelled " + emotion.label());
        }
        List<Prediction> predictions;
        try (EmotionModel model = EmotionModel.load(modelVersionDir)) {
            predictions = model.classify(gold.stream().map(DemoPosts.SamplePost::content).toList());
        }
        List<DemoPosts.SamplePost> agreed = new ArrayList<>();
        for (int i = 0; i < gold.size(); i++) {
            if (predictions.get(i).emotion() == emotion) {
                agreed.add(gold.get(i));
            }
        }
        String label = emotion.label();
        if (agreed.isEmpty()) {
            return new Selection(gold, "all " + gold.size() + " sample posts labelled " + label
                    + "; the served model labels none of them " + label + ", so expect no alert");
        }
        return new Selection(agreed, agreed.size() + " of the sample's " + gold.size() + " posts labelled " + label
                + ", those the served model also labels " + label);
    }
}
