package com.emotionmonitor.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class PostPreprocessorTest {

    private static final PostPreprocessor STANDARD = PostPreprocessor.standard();

    @Test
    void cleansThenExtractsTopicsThenTruncates() {
        String raw = "回复@张三:#武汉加油# " + "加油".repeat(100) + " #最后的话题# http://t.cn/x";
        PreparedPost post = STANDARD.prepare(raw);
        assertEquals(List.of("武汉加油", "最后的话题"), post.topics(), "topics come from the whole post, not the first 140");
        assertEquals(Preprocessing.MAX_CHARS, post.text().codePointCount(0, post.text().length()));
        assertTrue(post.text().startsWith("#武汉加油# 加油"), "the mention was removed before truncation");
        assertFalse(post.isEmpty());
    }

    @Test
    void truncatesAfterCleaningSoLinksDoNotUseTheBudget() {
        PostPreprocessor three = new PostPreprocessor(WeiboTextCleaner.reference(), 3);
        assertEquals("好开心", three.prepare("http://t.cn/A6vO2n1Z 好开心啊😂").text());
        assertEquals("好😂😂", three.prepare("好😂😂😂").text(), "code points, never half an emoji");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   ", "\t\r\n", "http://t.cn/A6vO2n1Z", "@张三", "回复@张三:", "//@a: //@b:", "转发微博", "\u200b"})
    void nothingLeftIsAnEmptyPostNeverAnError(String raw) {
        PreparedPost post = STANDARD.prepare(raw);
        assertTrue(post.isEmpty());
        assertEquals("", post.text());
        assertEquals(List.of(), post.topics());
    }

    @Test
    void aCleanedTextOfOnlyWhitespaceIsEmptyToo() {
        String raw = "http://中 http://国"; // the script's last URL pass leaves the middle space and does not strip
        assertEquals(" ", WeiboTextCleaner.reference().clean(raw));
        assertTrue(STANDARD.prepare(raw).isEmpty());
    }

    @Test
    void keepsTheCleanersTextOtherwise() {
        String raw = "a http://中国";
        assertEquals("a ", STANDARD.prepare(raw).text(), "the trailing space stays: training saw it too");
    }

    @Test
    void standardIsTheReferenceCleanerAt140() {
        assertSame(STANDARD, PostPreprocessor.standard());
        assertSame(WeiboTextCleaner.reference(), STANDARD.cleaner());
        assertEquals(140, STANDARD.maxChars());
        assertEquals(Preprocessing.VERSION, STANDARD.preprocessingVersion());
        assertEquals(Preprocessing.VERSION_LOSSLESS_CHARS,
                new PostPreprocessor(new WeiboTextCleaner(CleanerOptions.LOSSLESS_CHARS), 140).preprocessingVersion());
    }

    @Test
    void rejectsBadConfiguration() {
        assertThrows(NullPointerException.class, () -> new PostPreprocessor(null, 140));
        assertThrows(IllegalArgumentException.class, () -> new PostPreprocessor(WeiboTextCleaner.reference(), 0));
    }

    @Test
    void preparedPostIsImmutable() {
        PreparedPost post = STANDARD.prepare("#a# #b# 好");
        assertThrows(UnsupportedOperationException.class, () -> post.topics().add("c"));
        assertThrows(NullPointerException.class, () -> new PreparedPost(null, List.of()));
    }
}
