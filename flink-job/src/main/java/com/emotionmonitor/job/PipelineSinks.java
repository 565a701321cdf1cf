package com.emotionmonitor.job;

import com.emotionmonitor.schema.DeadLetter;
import com.emotionmonitor.schema.EmotionEvent;
import com.emotionmonitor.schema.EmotionStats;
import org.apache.flink.api.connector.sink2.Sink;

/** The three outputs of the job. Kafka in production and the demo ({@link KafkaConnectors#sinks}). */
public record PipelineSinks(Sink<EmotionEvent> events, Sink<EmotionStats> stats, Sink<DeadLetter> deadLetters) {}
