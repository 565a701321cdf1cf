package com.emotionmonitor.train;

import com.emotionmonitor.data.SharedData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.data.JsonlPostReader;
import com.emotionmonitor.data.LabeledPost;
import com.emotionmonitor.data.OnError;
import com.emotionmonitor.model.Emotion;
import com.emotionmonitor.text.PostPreprocessor;
import com.emotionmonitor.text.TextPipeline;
import com.emotionmonitor.text.Vocabulary;
import com.emotionmonitor.text.VocabularyBuilder;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabelSchemeTest {

    @Test
    void nlpccTagsMapOntoTheSixClasses() {
        LabelScheme s = LabelScheme.NLPCC;
        assertEquals(Emotion.NEUTRAL, s.toEmotion("none"));
        assertEquals(Emotion.HAPPY, s.toEmotion("like"));
        assertEquals(Emotion.HAPPY, s.toEmotion("happiness"));
        assertEquals(Emotion.ANGRY, s.toEmotion("anger"));
        assertEquals(Emotion.ANGRY, s.toEmotion("disgust"));
        assertEquals(Emotion.SAD, s.toEmotion("sadness"));
        assertEquals(Emotion.FEAR, s.toEmotion("fear"));
        assertEquals(Emotion.SURPRISE, s.toEmotion("surprise"));
    }

    @Test
    void aMultiLabelRowCountsWithItsPrimaryTag() {
        assertEquals(Emotion.SAD, LabelScheme.NLPCC.toEmotion("sadness,disgust"));
        assertEquals(Emotion.ANGRY, LabelScheme.NLPCC.toEmotion("disgust, like"));
    }

    @Test
    void schemesDoNotAcceptEachOthersSpelling() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelScheme.NLPCC.toEmotion("happy"));
        assertTrue(e.getMessage().contains("'happy'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LabelScheme.SMP2020.toEmotion("happiness"));
        assertEquals(Emotion.HAPPY, LabelScheme.SMP2020.toEmotion("happy"));
    }

    @Test
    void theRealExtraFilesMapEveryRowAndCoverAllSixClasses() throws Exception {
        Path nlpcc = SharedData.locate().resolve("weibo-extra/nlpcc2014_emotion_train.jsonl");
        List<LabeledPost> posts = JsonlPostReader.readAll(nlpcc, OnError.FAIL).posts();
        VocabularyBuilder vb = new VocabularyBuilder();
        posts.subList(0, 200).forEach(p -> vb.add(PostPreprocessor.standard().prepare(p.content()).text()));
        Vocabulary vocab = vb.build(1, 1000, 0);
        LabeledSet set = LabeledSet.of("nlpcc", posts, LabelScheme.NLPCC, TextPipeline.standard(vocab), true);
        assertEquals(posts.size() - set.emptyAfterCleaning(), set.size());
        Set<Emotion> seen = EnumSet.noneOf(Emotion.class);
        seen.addAll(set.labels());
        assertEquals(EnumSet.allOf(Emotion.class), seen);
    }

    @Test
    void anUnknownTagIsRefusedWithItsFileAndLine() {
        List<LabeledPost> posts = List.of(new LabeledPost("1", "今天很开心", "like", 1), new LabeledPost("2", "好", "joy", 2));
        Vocabulary vocab = new VocabularyBuilder().build(1, 1000, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LabeledSet.of("extra.jsonl", posts, LabelScheme.NLPCC, TextPipeline.standard(vocab), true));
        assertTrue(e.getMessage().startsWith("extra.jsonl line 2: unknown nlpcc tag 'joy'"), e.getMessage());
    }
}
