package com.emotionmonitor.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Emptiness is decided after tokenization: what the model could read, not what the cleaner left. */
class TextPipelineTest {

    private static final TextPipeline PIPELINE = TextPipeline.standard(
            Vocabulary.of(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "好", "开", "心", "!", "ok")));

    @ParameterizedTest
    @ValueSource(strings = {
        "", "   ", "http://t.cn/A6vXyZ12", // nothing left after cleaning
        "\uFEFF", "\u2060\u2060", "\uFFFD", "\u200B\uFEFF\u2060", "\uE000", // characters the tokenizer drops
        "龘靐", "hello world", "😂😂", "龘 \uFEFF zebra" // only characters or words outside the vocabulary: [UNK]s
    })
    void nothingTheModelCanReadIsEmpty(String text) {
        PreparedText p = PIPELINE.prepare(text);
        assertTrue(p.isEmpty(), () -> "'" + text + "' -> " + p);
    }

    @Test
    void oneKnownTokenIsEnough() {
        PreparedText p = PIPELINE.prepare("龘\uFEFF好");
        assertFalse(p.isEmpty());
        assertEquals(List.of("[UNK]", "好"), PIPELINE.tokenizer().tokenize(p.text()));
        assertFalse(PIPELINE.prepare("OK").isEmpty(), "lower-cased into the vocabulary");
    }

    @Test
    void anEmptyPostKeepsItsCleanedTextAndTopics() {
        PreparedText p = PIPELINE.prepare("#龘龘# 龘");
        assertTrue(p.isEmpty());
        assertEquals(List.of("龘龘"), p.topics(), "topics still count for the statistics");
    }
}
