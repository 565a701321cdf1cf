package com.emotionmonitor.job;

import com.emotionmonitor.schema.DeadLetter;
import com.emotionmonitor.schema.DriftAlert;
import com.emotionmonitor.schema.EmotionAlert;
import com.emotionmonitor.schema.EmotionEvent;
import com.emotionmonitor.schema.EmotionStats;
import com.emotionmonitor.schema.ModelComparison;
import org.apache.flink.streaming.api.datastream.DataStream;

/** The streams {@link EmotionPipeline#build} wired to the sinks, for callers that attach more. */
public record PipelineStreams(DataStream<EmotionEvent> events, DataStream<EmotionStats> stats, DataStream<DeadLetter> deadLetters,
                              DataStream<EmotionAlert> alerts, DataStream<DriftAlert> driftAlerts,
                              DataStream<ModelComparison> comparisons) {}
