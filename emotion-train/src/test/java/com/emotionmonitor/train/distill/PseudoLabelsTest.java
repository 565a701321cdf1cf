package com.emotionmonitor.train.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.emotionmonitor.model.Emotion;
import com.emotionmonitor.train.distill.PseudoLabels.Candidate;
import com.emotionmonitor.train.distill.PseudoLabels.Labelled;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PseudoLabelsTest {

    private static Candidate post(String id, Emotion top, float p) {
        float[] probs = new float[Emotion.count()];
        float rest = (1 - p) / (Emotion.count() - 1);
        java.util.Arrays.fill(probs, rest);
        probs[top.ordinal()] = p;
        return new Candidate(id, "text " + id, probs);
    }

    @Test
    void keepsTheMostConfidentOfEachClassUpToItsQuotaInFileOrder() {
        List<Candidate> posts = List.of(
                post("h1", Emotion.HAPPY, 0.70f),
                post("h2", Emotion.HAPPY, 0.95f),
                post("h3", Emotion.HAPPY, 0.80f),
                post("f1", Emotion.FEAR, 0.55f),
                post("f2", Emotion.FEAR, 0.45f),   // below the threshold: never kept, whatever the quota
                post("n1", Emotion.NEUTRAL, 0.99f),
                post("s1", Emotion.SURPRISE, 0.90f)); // surprise has no quota
        Map<Emotion, Integer> quota = new EnumMap<>(Emotion.class);
        quota.put(Emotion.HAPPY, 2);
        quota.put(Emotion.FEAR, 5);
        quota.put(Emotion.NEUTRAL, 1);

        List<Labelled> kept = PseudoLabels.select(posts, 0.5, quota);

        assertEquals(List.of("h2", "h3", "f1", "n1"), kept.stream().map(Labelled::id).toList());
        assertEquals(Emotion.FEAR, kept.get(2).label());
        assertEquals(0.55f, kept.get(2).confidence(), 1e-6);
        assertEquals("text h2", kept.get(0).content());
    }

    @Test
    void tiesKeepTheEarlierPost() {
        List<Candidate> posts = List.of(post("a", Emotion.SAD, 0.8f), post("b", Emotion.SAD, 0.8f), post("c", Emotion.SAD, 0.8f));
        List<Labelled> kept = PseudoLabels.select(posts, 0.5, Map.of(Emotion.SAD, 2));
        assertEquals(List.of("a", "b"), kept.stream().map(Labelled::id).toList());
    }

    @Test
    void quotasFollowTheLabelledSharesOfAFile() {
        List<Emotion> labels = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            labels.add(Emotion.HAPPY);
        }
        labels.add(Emotion.FEAR);
        labels.add(Emotion.FEAR);
        labels.add(Emotion.NEUTRAL);
        labels.add(Emotion.ANGRY);
        Map<Emotion, Double> shares = PseudoLabels.shares(labels);
        assertEquals(0.6, shares.get(Emotion.HAPPY), 1e-9);
        Map<Emotion, Integer> quota = PseudoLabels.quotas(shares, 1000);
        assertEquals(600, quota.get(Emotion.HAPPY));
        assertEquals(200, quota.get(Emotion.FEAR));
        assertEquals(100, quota.get(Emotion.NEUTRAL));
        assertEquals(100, quota.get(Emotion.ANGRY));
        assertEquals(0, quota.get(Emotion.SAD));
        assertEquals(0, quota.get(Emotion.SURPRISE));
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> PseudoLabels.quotas(Map.of(Emotion.HAPPY, 1.0), 0));
        assertThrows(IllegalArgumentException.class, () -> PseudoLabels.shares(List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> PseudoLabels.select(List.of(new Candidate("x", "x", new float[] {1f})), 0.5, Map.of()));
    }
}
