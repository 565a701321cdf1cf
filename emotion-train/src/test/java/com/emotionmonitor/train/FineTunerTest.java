package com.emotionmonitor.train;

import com.emotionmonitor.data.SharedData;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.data.JsonlPostReader;
import com.emotionmonitor.data.LabeledPost;
import com.emotionmonitor.data.OnError;
import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.model.Emotion;
import com.emotionmonitor.model.OfflineDefaults;
import com.emotionmonitor.text.PostPreprocessor;
import com.emotionmonitor.text.TextPipeline;
import com.emotionmonitor.text.Vocabulary;
import com.emotionmonitor.text.VocabularyBuilder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FineTunerTest {

    static {
        OfflineDefaults.apply();
    }

    @Test
    void aTinyModelOverfitsFiftyRealPosts(@TempDir Path work) throws Exception {
        List<LabeledPost> posts = JsonlPostReader.readAll(SharedData.locate().resolve("smp2020-ewect/usual_train.jsonl"), OnError.FAIL)
                .posts().subList(0, 50);
        VocabularyBuilder vb = new VocabularyBuilder();
        posts.forEach(p -> vb.add(PostPreprocessor.standard().prepare(p.content()).text()));
        Vocabulary vocab = vb.build(1, 1000, 0);
        LabeledSet train = LabeledSet.of("fifty", posts, TextPipeline.standard(vocab), true);
        FineTuneConfig cfg = new FineTuneConfig(null, BertConfig.of(6, 1, 32, 2).withDropout(0f), 60, 3e-3f, 0.05f, 0f, 0f,
                1024, 16, "none", 0, 0, 7L, "cpu", work);
        FineTuner.Result r = new FineTuner(cfg).run(vocab, train, train, List.of(train));
        assertEquals(1.0, r.reports().get("fifty").accuracy(), 1e-9, "50 posts must be memorised");
    }

    @Test
    void classWeightsFavourRareClassesAndAverageOne() {
        List<Emotion> labels = new java.util.ArrayList<>();
        for (int i = 0; i < 90; i++) {
            labels.add(Emotion.ANGRY);
        }
        for (int i = 0; i < 10; i++) {
            labels.add(Emotion.FEAR);
        }
        float[] w = FineTuner.classWeights(labels, "inverse-sqrt");
        float mean = 0;
        for (float x : w) {
            mean += x / w.length;
        }
        assertEquals(1f, mean, 1e-4);
        assertTrue(w[Emotion.FEAR.ordinal()] > w[Emotion.ANGRY.ordinal()]);
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, FineTuner.classWeights(labels, "none"));
    }
}
