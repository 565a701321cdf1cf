package com.emotionmonitor.job.ops;

import com.emotionmonitor.job.metrics.EmotionCounters;
import com.emotionmonitor.schema.EmotionEvent;
import org.apache.flink.api.common.functions.OpenContext;

/**
 * The split after classification: dead letters to the side output, events on, each counted per emotion
 * ({@link EmotionCounters}) here, on the task thread, where every event that reaches the events sink passes once.
 */
public final class SplitUnclassified extends SplitDeadLetters<EmotionEvent> {

    private static final long serialVersionUID = 1L;

    private transient EmotionCounters emotions;

    @Override
    public void open(OpenContext openContext) {
        super.open(openContext);
        emotions = new EmotionCounters(getRuntimeContext().getMetricGroup());
    }

    @Override
    protected void passed(EmotionEvent event) {
        emotions.count(event.getEmotion());
    }
}
