package com.emotionmonitor.job;

import com.emotionmonitor.schema.DeadLetter;
import com.emotionmonitor.schema.DriftAlert;
import com.emotionmonitor.schema.EmotionAlert;
import com.emotionmonitor.schema.EmotionEvent;
import com.emotionmonitor.schema.EmotionStats;
import com.emotionmonitor.schema.ModelComparison;
import com.emotionmonitor.schema.ModelStatus;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * The outputs of the job: the data topics, the shadow comparisons and the model-status reports. Kafka in production
 * and the demo ({@link KafkaConnectors#sinks}).
 */
public record PipelineSinks(Sink<EmotionEvent> events, Sink<EmotionStats> stats, Sink<DeadLetter> deadLetters,
                            Sink<EmotionAlert> alerts, Sink<DriftAlert> driftAlerts, Sink<ModelComparison> comparisons,
                            Sink<ModelStatus> modelStatus) {}
