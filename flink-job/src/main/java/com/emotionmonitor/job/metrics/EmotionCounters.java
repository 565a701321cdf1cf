package com.emotionmonitor.job.metrics;

import com.emotionmonitor.schema.Emotion;
import java.util.Locale;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * One counter of labelled events per emotion, {@code emotion.<label>.events} under the operator's group, registered
 * through a key/value group so that reporters see the emotion as a variable: Prometheus exports
 * {@code flink_taskmanager_job_task_operator_emotion_events{emotion="angry",...}} (the Grafana board's share panel).
 */
public final class EmotionCounters {

    public static final String GROUP = "emotion";
    public static final String COUNTER = "events";

    private final Counter[] counters = new Counter[Emotion.values().length];

    public EmotionCounters(MetricGroup operatorGroup) {
        for (Emotion e : Emotion.values()) {
            counters[e.ordinal()] = operatorGroup.addGroup(GROUP, e.name().toLowerCase(Locale.ROOT)).counter(COUNTER);
        }
    }

    public void count(Emotion emotion) {
        counters[emotion.ordinal()].inc();
    }
}
