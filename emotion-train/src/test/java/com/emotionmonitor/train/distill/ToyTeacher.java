package com.emotionmonitor.train.distill;

import com.emotionmonitor.data.CannedPosts;
import com.emotionmonitor.data.LabeledPost;
import com.emotionmonitor.model.BatchPredictor;
import com.emotionmonitor.model.Emotion;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.text.Encoding;
import com.emotionmonitor.text.PostPreprocessor;
import com.emotionmonitor.text.TextPipeline;
import com.emotionmonitor.text.Vocabulary;
import com.emotionmonitor.text.VocabularyBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A teacher for tests: the 36 canned posts as the corpus, and for each post a soft distribution (0.7 on its gold
 * label, 0.06 on the others): what a real teacher's probabilities look like, known exactly.
 */
final class ToyTeacher {

    static final List<String> TEXTS = CannedPosts.POSTS.stream()
            .map(p -> PostPreprocessor.standard().prepare(p.content()).text()).toList();
    static final Vocabulary VOCAB = vocabulary();
    static final TextPipeline PIPELINE = TextPipeline.standard(VOCAB);

    private ToyTeacher() {}

    private static Vocabulary vocabulary() {
        VocabularyBuilder vb = new VocabularyBuilder();
        TEXTS.forEach(vb::add);
        return vb.build(1, 1000, 0);
    }

    static float[] distribution(Emotion gold) {
        return distribution(gold, 0.7f);
    }

    static float[] distribution(Emotion gold, float onGold) {
        float[] p = new float[Emotion.count()];
        Arrays.fill(p, (1f - onGold) / (Emotion.count() - 1));
        p[gold.ordinal()] = onGold;
        return p;
    }

    /** The teacher as a predictor over the corpus's encodings (with this vocabulary). */
    static TeacherLabels.Teacher teacher(String sha) {
        return teacher(sha, 0.7f);
    }

    /** A teacher as sure of each gold label as {@code onGold}. */
    static TeacherLabels.Teacher teacher(String sha, float onGold) {
        Map<List<Integer>, Emotion> gold = new HashMap<>();
        for (int i = 0; i < TEXTS.size(); i++) {
            LabeledPost p = CannedPosts.POSTS.get(i);
            gold.put(ids(PIPELINE.tokenizer().encode(TEXTS.get(i))), Emotion.fromLabel(p.label()));
        }
        BatchPredictor predictor = batch -> {
            List<Prediction> out = new ArrayList<>();
            for (Encoding e : batch) {
                out.add(Prediction.fromProbabilities(distribution(gold.get(ids(e)), onGold)));
            }
            return out;
        };
        return new TeacherLabels.Teacher("toy/v1", sha, predictor, i -> PIPELINE.tokenizer().encode(TEXTS.get(i)));
    }

    private static List<Integer> ids(Encoding e) {
        return Arrays.stream(e.ids()).boxed().toList();
    }
}
