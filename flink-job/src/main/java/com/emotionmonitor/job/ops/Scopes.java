package com.emotionmonitor.job.ops;

import com.emotionmonitor.schema.EmotionEvent;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * The statistics scopes of an event: {@code global} always, plus {@code topic:<name>} once per distinct #topic#.
 * As a flat map it fans each event out to one {@link ScopedEmotion} per scope.
 */
public final class Scopes implements FlatMapFunction<EmotionEvent, ScopedEmotion> {

    private static final long serialVersionUID = 1L;

    public static final String GLOBAL = "global";
    public static final String TOPIC_PREFIX = "topic:";

    public static Set<String> of(EmotionEvent event) {
        Set<String> scopes = new LinkedHashSet<>();
        scopes.add(GLOBAL);
        for (String topic : event.getTopics()) {
            String name = topic.strip();
            if (!name.isEmpty()) {
                scopes.add(TOPIC_PREFIX + name);
            }
        }
        return scopes;
    }

    @Override
    public void flatMap(EmotionEvent event, Collector<ScopedEmotion> out) {
        for (String scope : of(event)) {
            out.collect(new ScopedEmotion(scope, event.getEmotion().ordinal(), event.getConfidence(), event.getEmptyText(),
                    event.getPostId(), event.getModelName(), event.getModelVersion()));
        }
    }
}
