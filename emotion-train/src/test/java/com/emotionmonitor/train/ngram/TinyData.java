package com.emotionmonitor.train.ngram;

import com.emotionmonitor.model.ngram.NgramSettings;
import com.emotionmonitor.model.ngram.VocabularyStamp;

import com.emotionmonitor.train.ngram.NgramTrainer;
import com.emotionmonitor.train.ngram.NgramTrainingConfig;

import com.emotionmonitor.model.Emotion;
import com.emotionmonitor.text.PostPreprocessor;
import com.emotionmonitor.text.TextPipeline;
import com.emotionmonitor.text.Vocabulary;
import com.emotionmonitor.text.VocabularyBuilder;
import com.emotionmonitor.train.LabeledSet;
import com.emotionmonitor.train.TinyRecipe;

/** TinyRecipe' 36 hand-written posts through the real text pipeline, over a vocabulary built from them. */
final class TinyData {

    static final Vocabulary VOCAB = vocabulary();
    static final LabeledSet POSTS = LabeledSet.of("tiny", TinyRecipe.POSTS, TextPipeline.standard(VOCAB), true);

    private TinyData() {}

    private static Vocabulary vocabulary() {
        VocabularyBuilder vb = new VocabularyBuilder();
        PostPreprocessor pre = PostPreprocessor.standard();
        TinyRecipe.POSTS.forEach(p -> vb.add(pre.prepare(p.content()).text()));
        return vb.build(1, 1000, 0);
    }

    static NgramTrainer.Result train(NgramSettings settings, NgramTrainingConfig config) {
        return new NgramTrainer(settings, config).train(POSTS.encodings(), POSTS.labels(), VocabularyStamp.of(VOCAB), null);
    }

    static Emotion label(int i) {
        return POSTS.labels().get(i);
    }
}
