package com.emotionmonitor.job.ops;

import com.emotionmonitor.job.metrics.EmotionCounters;
import com.emotionmonitor.schema.EmotionEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * After the classify stage: events go on, dead letters to {@link SplitDeadLetters#DEAD_LETTERS} (metric
 * {@code deadLetters}), and each post a shadow labelled too, event and shadow label together, to {@link #SHADOWED}
 * for the comparison windows (metric {@code shadowComparisons}). The event itself is the same with or without a shadow.
 * Each event is counted per emotion here ({@link EmotionCounters}), where every event bound for the events sink
 * passes once.
 */
public final class SplitClassified extends ProcessFunction<ClassifiedPost, EmotionEvent> {

    private static final long serialVersionUID = 1L;

    /** Posts labelled by the serving and a shadow version. */
    public static final OutputTag<ClassifiedPost> SHADOWED = new OutputTag<>("shadowed", ClassifiedPost.type());

    private transient Counter deadLetters;
    private transient Counter shadowComparisons;
    private transient EmotionCounters emotions;

    @Override
    public void open(OpenContext openContext) {
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
        shadowComparisons = getRuntimeContext().getMetricGroup().counter("shadowComparisons");
        emotions = new EmotionCounters(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(ClassifiedPost post, Context ctx, Collector<EmotionEvent> out) {
        if (!post.isLabelled()) {
            deadLetters.inc();
            ctx.output(SplitDeadLetters.DEAD_LETTERS, post.deadLetter);
            return;
        }
        emotions.count(post.event.getEmotion());
        out.collect(post.event);
        if (post.shadow != null) {
            shadowComparisons.inc();
            ctx.output(SHADOWED, post);
        }
    }
}
