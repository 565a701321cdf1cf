package com.emotionmonitor.job.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.emotionmonitor.schema.Emotion;
import com.emotionmonitor.schema.EmotionEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.junit.jupiter.api.Test;

class ScopesTest {

    @Test
    void globalPlusOneScopePerDistinctTopic() {
        EmotionEvent e = EmotionEvent.newBuilder()
                .setPostId("p").setCreatedAt(Instant.EPOCH).setEmotion(Emotion.SAD)
                .setProbabilities(List.of(0f, 0f, 0.9f, 0f, 0f, 0.1f)).setConfidence(0.9f)
                .setTopics(List.of("高考", " 高考 ", "", "天气"))
                .setEmptyText(false).setModelName("m").setModelVersion("1").setProcessedAt(Instant.EPOCH)
                .build();
        List<ScopedEmotion> out = new ArrayList<>();
        new Scopes().flatMap(e, new ListCollector<>(out));
        assertEquals(List.of(
                new ScopedEmotion("global", Emotion.SAD.ordinal(), 0.9f, false, "p", "m", "1"),
                new ScopedEmotion("topic:高考", Emotion.SAD.ordinal(), 0.9f, false, "p", "m", "1"),
                new ScopedEmotion("topic:天气", Emotion.SAD.ordinal(), 0.9f, false, "p", "m", "1")), out);
    }

    @Test
    void wireAndModelEmotionsShareOneOrder() {
        com.emotionmonitor.model.Emotion[] model = com.emotionmonitor.model.Emotion.values();
        assertEquals(model.length, Emotion.values().length);
        for (com.emotionmonitor.model.Emotion m : model) {
            assertEquals(m.name(), EmotionEvents.toWire(m).name(), "the logit index must mean the same class on the wire");
        }
    }
}
