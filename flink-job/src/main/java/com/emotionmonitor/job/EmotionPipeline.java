package com.emotionmonitor.job;

import com.emotionmonitor.job.alerts.SpikeAlerts;
import com.emotionmonitor.job.io.ReceivedPost;
import com.emotionmonitor.job.model.ModelSource;
import com.emotionmonitor.job.ops.ClassifyAsyncFunction;
import com.emotionmonitor.job.ops.PerRecordClassifyFunction;
import com.emotionmonitor.job.ops.EmotionStatsWindows;
import com.emotionmonitor.store.ClassifierRequirements;
import com.emotionmonitor.job.ops.ModelRouterFunction;
import com.emotionmonitor.job.ops.OutsideEventTime;
import com.emotionmonitor.job.ops.PostToClassify;
import com.emotionmonitor.job.ops.ScopedEmotion;
import com.emotionmonitor.job.ops.Scopes;
import com.emotionmonitor.job.ops.SplitDeadLetters;
import com.emotionmonitor.job.ops.SplitUnclassified;
import com.emotionmonitor.schema.DeadLetter;
import com.emotionmonitor.schema.EmotionAlert;
import com.emotionmonitor.schema.EmotionEvent;
import com.emotionmonitor.schema.EmotionStats;
import com.emotionmonitor.schema.ModelCommand;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;

/**
 * The job graph, built in one place from its source and sinks so that {@code main}, the demo and the tests run the
 * same operators:
 *
 * <pre>
 * posts (Either&lt;DeadLetter, ReceivedPost&gt;) -> watermarks on created_at
 *   -> split dead letters -> model router (stamp the serving model version; clean, #topics#, tokenize with its pipeline)
 *   -> classify (async, micro-batched) -> split dead letters -> events sink
 *   -> scopes (global, topic:x) -> keyBy scope -> event-time windows -> stats sink (+ LATE stats)
 *   -> on-time window stats -> keyBy scope -> spike detector -> alerts sink
 * model-control (ModelCommand) -> outside event time -> broadcast -> model router -> model-status sink
 * dead letters of every stage -> dead-letter sink
 * </pre>
 */
public final class EmotionPipeline {

    private EmotionPipeline() {}

    /** Applies the job's environment settings (parallelism, checkpointing, restarts, no silent Kryo fallback). */
    public static void configure(StreamExecutionEnvironment env, JobConfig config) {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, config.restartAttempts());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, config.restartDelay());
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(conf);
        env.setParallelism(config.parallelism());
        // Posts are small and latency is the point: flush network buffers every few ms, not every 100 ms.
        env.setBufferTimeout(config.bufferTimeout().toMillis());
        // Exactly-once Kafka output commits its transactions on checkpoints: no checkpoints, no output.
        env.enableCheckpointing(config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
    }

    /**
     * The watermarks: bounded out-of-orderness on each post's event time (its created_at as the event-time policy
     * accepted or replaced it, see {@link com.emotionmonitor.job.time.EventTimePolicy}), idleness; a dead letter takes
     * its Kafka timestamp, bounded by the same policy, so no record can carry the watermark past the job's clock.
     *
     * <p>Generated right after the source (chained, one generator per source subtask) rather than per Kafka partition
     * inside the source: with source-level idleness, Flink 2.2 drops the final MAX_WATERMARK of a drained stop
     * ({@code flink stop --drain}, the demo's clean stop) when the source is idle at that moment, so the last windows
     * never fire (FLINK-40499, unfixed in 2.2). The operator-level generator re-announces ACTIVE before forwarding
     * MAX_WATERMARK. Run with parallelism = partitions of the posts topic to keep per-partition watermarks; otherwise
     * the out-of-orderness bound must also cover the skew between partitions read by one subtask.
     */
    public static WatermarkStrategy<Either<DeadLetter, ReceivedPost>> watermarks(JobConfig config) {
        com.emotionmonitor.job.time.EventTimePolicy policy = config.eventTime();
        return WatermarkStrategy.<Either<DeadLetter, ReceivedPost>>forBoundedOutOfOrderness(config.outOfOrderness())
                .withIdleness(config.idleness())
                .withTimestampAssigner((record, kafkaTimestamp) -> record.isRight()
                        ? record.right().eventTime
                        : policy.arrival(kafkaTimestamp, System.currentTimeMillis()));
    }

    /**
     * Builds the whole graph on {@code env} (call {@link #configure} first), with the model-control topic of
     * {@code config} as the source of model commands (read from now on; see {@link KafkaConnectors#modelControlSource}).
     *
     * @param posts the posts source, already deserialized into {@code Right(post)} or {@code Left(dead letter)}
     * @param model the model version to start with (pinned at build time) and where other versions are found
     */
    public static PipelineStreams build(StreamExecutionEnvironment env, JobConfig config,
                                        Source<Either<DeadLetter, ReceivedPost>, ?, ?> posts,
                                        ModelSource model, PipelineSinks sinks) {
        return build(env, config, posts, KafkaConnectors.modelControlSource(config, System.currentTimeMillis()), model, sinks);
    }

    /** {@link #build(StreamExecutionEnvironment, JobConfig, Source, ModelSource, PipelineSinks)} with another command source. */
    public static PipelineStreams build(StreamExecutionEnvironment env, JobConfig config,
                                        Source<Either<DeadLetter, ReceivedPost>, ?, ?> posts,
                                        Source<ModelCommand, ?, ?> modelCommands,
                                        ModelSource model, PipelineSinks sinks) {
        TypeInformation<Either<DeadLetter, ReceivedPost>> inputType = new org.apache.flink.api.java.typeutils.EitherTypeInfo<>(
                new AvroTypeInfo<>(DeadLetter.class), TypeInformation.of(ReceivedPost.class));

        SingleOutputStreamOperator<ReceivedPost> received = env
                .fromSource(posts, WatermarkStrategy.noWatermarks(), "Posts", inputType)
                .uid("posts-source")
                .assignTimestampsAndWatermarks(watermarks(config))
                .uid("event-time")
                .name("Event time (created_at)")
                .process(new SplitDeadLetters<ReceivedPost>(), TypeInformation.of(ReceivedPost.class))
                .uid("split-undecodable")
                .name("Split undecodable posts");

        // Commands are few and must stay in order: one reader, broadcast to every router subtask.
        SingleOutputStreamOperator<ModelCommand> commands = env
                .fromSource(modelCommands, WatermarkStrategy.noWatermarks(), "Model commands", new AvroTypeInfo<>(ModelCommand.class))
                .uid("model-control-source")
                .setParallelism(1);
        BroadcastStream<ModelCommand> control = OutsideEventTime.apply(commands)
                .uid("model-control-outside-event-time")
                .setParallelism(1)
                .broadcast(ModelRouterFunction.COMMANDS);
        SingleOutputStreamOperator<PostToClassify> prepared = received
                .connect(control)
                .process(new ModelRouterFunction(model, ClassifierRequirements.emotions(config.batchMaxTokens())),
                        TypeInformation.of(PostToClassify.class))
                .uid("model-router")
                .name("Model router: stamp version, clean, #topics#, tokenize");
        prepared.getSideOutput(ModelRouterFunction.STATUS).sinkTo(sinks.modelStatus()).uid("model-status-sink")
                .name("ModelStatus sink");

        SingleOutputStreamOperator<Either<DeadLetter, EmotionEvent>> classified = classify(prepared, config, model);

        SingleOutputStreamOperator<EmotionEvent> events = classified
                .process(new SplitUnclassified(), new AvroTypeInfo<>(EmotionEvent.class))
                .uid("split-unclassified")
                .name("Split unclassified posts");
        events.sinkTo(sinks.events()).uid("events-sink").name("EmotionEvents sink");

        DataStream<ScopedEmotion> scoped = events
                .flatMap(new Scopes(), TypeInformation.of(ScopedEmotion.class))
                .uid("scopes")
                .name("Scopes: global + #topic#");
        DataStream<EmotionStats> stats = EmotionStatsWindows.apply(scoped, config.windowSize(), config.allowedLateness(),
                config.lateFlushInterval(), config.exampleIds());
        stats.sinkTo(sinks.stats()).uid("stats-sink").name("EmotionStats sink");

        DataStream<EmotionAlert> alerts = SpikeAlerts.apply(stats, config.alerts());
        alerts.sinkTo(sinks.alerts()).uid("alerts-sink").name("EmotionAlerts sink");

        DataStream<DeadLetter> deadLetters = received.getSideOutput(SplitDeadLetters.DEAD_LETTERS)
                .union(prepared.getSideOutput(SplitDeadLetters.DEAD_LETTERS), events.getSideOutput(SplitDeadLetters.DEAD_LETTERS));
        deadLetters.sinkTo(sinks.deadLetters()).uid("dead-letter-sink").name("DeadLetters sink");

        return new PipelineStreams(events, stats, deadLetters, alerts);
    }

    private static SingleOutputStreamOperator<Either<DeadLetter, EmotionEvent>> classify(
            DataStream<PostToClassify> prepared, JobConfig config, ModelSource model) {
        if (config.classifyMode() == EmotionJobOptions.ClassifyMode.PER_RECORD) {
            // Its own uid: the async operator's in-flight state has no meaning for a map.
            return prepared
                    .map(new PerRecordClassifyFunction(model, ClassifierRequirements.emotions(config.batchMaxTokens())),
                            ClassifyAsyncFunction.producedType())
                    .uid("classify-per-record")
                    .name("Classify (one forward pass per post)");
        }
        return AsyncDataStream
                .unorderedWait(prepared, new ClassifyAsyncFunction(model, config.classify()),
                        config.asyncTimeout().toMillis(), TimeUnit.MILLISECONDS, config.asyncCapacity())
                .returns(ClassifyAsyncFunction.producedType())
                .uid("classify")
                .name("Classify (micro-batched, per stamped model version)");
    }
}
