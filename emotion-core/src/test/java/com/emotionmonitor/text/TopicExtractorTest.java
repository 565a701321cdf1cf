package com.emotionmonitor.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class TopicExtractorTest {

    @Test
    void findsTopicsInOrderWithoutDuplicates() {
        assertEquals(List.of("武汉加油", "抗击肺炎"), TopicExtractor.extract("#武汉加油# 大家好 #抗击肺炎##武汉加油#"));
    }

    @Test
    void topicsOfCleanedTextAreNormalisedLikeTheText() {
        String cleaned = WeiboTextCleaner.reference().clean("＃ＡＢ話題＃ 和 #ab话题# 一样");
        assertEquals(List.of("ab话题"), TopicExtractor.extract(cleaned));
    }

    @Test
    void trimsAndKeepsInnerSpaces() {
        assertEquals(List.of("美国 流感"), TopicExtractor.extract("# 美国 流感 #"));
    }

    @Test
    void skipsBlankAndOverlongCandidatesAndLetTheirClosingHashOpenTheNext() {
        assertEquals(List.of("真话题"), TopicExtractor.extract("## #  #真话题#"));
        String stray = "价格#" + "很长的一段正文".repeat(10) + "#话题#";
        assertEquals(List.of("话题"), TopicExtractor.extract(stray));
        String limit = "字".repeat(TopicExtractor.MAX_TOPIC_CODE_POINTS);
        assertEquals(List.of(limit), TopicExtractor.extract("#" + limit + "#"));
        assertEquals(List.of(), TopicExtractor.extract("#" + limit + "字#"));
        assertEquals(List.of("😂".repeat(TopicExtractor.MAX_TOPIC_CODE_POINTS)),
                TopicExtractor.extract("#" + "😂".repeat(TopicExtractor.MAX_TOPIC_CODE_POINTS) + "#"), "counts code points");
    }

    @Test
    void keepsAtMostTheMaximumNumberOfTopics() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            s.append("#t").append(i).append("# ");
        }
        List<String> topics = TopicExtractor.extract(s.toString());
        assertEquals(TopicExtractor.MAX_TOPICS, topics.size());
        assertEquals("t0", topics.get(0));
        assertEquals("t9", topics.get(9));
    }

    @Test
    void noTopics() {
        assertEquals(List.of(), TopicExtractor.extract(null));
        assertEquals(List.of(), TopicExtractor.extract(""));
        assertEquals(List.of(), TopicExtractor.extract("没有话题 #只有一个井号"));
    }
}
