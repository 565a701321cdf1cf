package com.emotionmonitor.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.emotionmonitor.model.Emotion;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The training-label shares a classifier's manifest records, and that old manifests without them still read. */
class ReferenceDistributionTest {

    private static final List<String> LABELS = List.of("happy", "angry", "sad", "fear", "surprise", "neutral");

    @Test
    void sharesOfTheTrainingLabelsInLabelOrder() {
        ReferenceDistribution r = ReferenceDistribution.of(List.of(Emotion.ANGRY, Emotion.ANGRY, Emotion.ANGRY, Emotion.FEAR),
                "four posts");
        assertEquals(4, r.posts());
        assertEquals(LABELS, List.copyOf(r.shares().keySet()));
        assertArrayEquals(new double[] {0, 0.75, 0, 0.25, 0, 0}, r.sharesIn(LABELS), 1e-12);
        assertArrayEquals(new double[] {0.25, 0.75}, r.sharesIn(List.of("fear", "angry")), 1e-12, "by label, not by position");
    }

    @Test
    void combinedSetsWeighTheirShares() {
        ReferenceDistribution a = ReferenceDistribution.of(List.of(Emotion.HAPPY, Emotion.HAPPY, Emotion.HAPPY), "a");
        ReferenceDistribution b = ReferenceDistribution.of(List.of(Emotion.SAD), "b");
        ReferenceDistribution both = ReferenceDistribution.combine(List.of(a, b), "a + b");
        assertEquals(4, both.posts());
        assertArrayEquals(new double[] {0.75, 0, 0.25, 0, 0, 0}, both.sharesIn(LABELS), 1e-12);
        assertNull(ReferenceDistribution.combine(Arrays.asList(a, null), "a + unknown"), "no reference beats a wrong one");
    }

    @Test
    void aManifestRoundTripsItsReferenceAndOldManifestsHaveNone() throws Exception {
        ModelManifest old = new ModelManifest("m", "1", ModelManifest.CLASSIFIER, "2026-01-01T00:00:00Z", null, LABELS, 142,
                "weibo-clean-1", null, null, null, null, null);
        String oldJson = ArtifactFiles.JSON.writeValueAsString(old);
        assertEquals(false, oldJson.contains("referenceDistribution"), "an old manifest's JSON is unchanged: " + oldJson);
        assertNull(ArtifactFiles.JSON.readValue(oldJson, ModelManifest.class).referenceShares());

        ModelManifest withReference = old.withReference(ReferenceDistribution.of(List.of(Emotion.NEUTRAL, Emotion.HAPPY), "two"));
        ModelManifest read = ArtifactFiles.JSON.readValue(ArtifactFiles.JSON.writeValueAsString(withReference), ModelManifest.class);
        assertEquals(withReference.referenceDistribution(), read.referenceDistribution());
        assertArrayEquals(new double[] {0.5, 0, 0, 0, 0, 0.5}, read.referenceShares(), 1e-12);
    }
}
