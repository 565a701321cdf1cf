package com.emotionmonitor.bench;

import com.emotionmonitor.tools.DemoPosts.SamplePost;
import com.emotionmonitor.embedded.EmbeddedKafka;
import com.emotionmonitor.job.EmotionPipeline;
import com.emotionmonitor.job.JobConfig;
import com.emotionmonitor.job.KafkaConnectors;
import com.emotionmonitor.job.io.AvroCodec;
import com.emotionmonitor.job.model.DeviceBatcher;
import com.emotionmonitor.job.model.ModelRegistry;
import com.emotionmonitor.job.model.StoreModelSource;
import com.emotionmonitor.demo.LocalFlink;
import com.emotionmonitor.schema.EmotionEvent;
import com.emotionmonitor.schema.ModelCommand;
import com.emotionmonitor.schema.RolloutStep;
import com.emotionmonitor.tools.ModelControl;
import com.emotionmonitor.tools.ModelServingState;
import com.emotionmonitor.tools.ModelStatusReader;
import com.emotionmonitor.serving.MicroBatcher;
import com.emotionmonitor.tools.PostIds;
import com.emotionmonitor.tools.PostProducer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The job end to end on an embedded broker and a local Flink cluster: posts pre-loaded into Kafka (saturation) or
 * produced at a fixed rate (latency), events read back as the job writes them. Throughput is taken between the first
 * and the last event's {@code processed_at} (job start-up excluded); latency is {@code processed_at - created_at},
 * where the producer stamps {@code created_at} with its send time, i.e. Kafka append to labelled event, without the
 * exactly-once commit delay (a checkpoint interval) that a {@code read_committed} reader adds on top.
 */
public final class PipelineBench {

    private final StoreModelSource model;
    private final List<SamplePost> sample;
    private final int parallelism;
    private final Map<String, String> jobSettings;
    private final Consumer<String> log;

    /** @param jobSettings job configuration keys applied to every run (e.g. batch.max-wait), before the run's own */
    public PipelineBench(StoreModelSource model, List<SamplePost> sample, int parallelism, Map<String, String> jobSettings,
            Consumer<String> log) {
        this.model = model;
        this.sample = sample;
        this.parallelism = parallelism;
        this.jobSettings = Map.copyOf(jobSettings);
        this.log = log;
    }

    /** One run's figures; {@code batcher} is the shared batcher's totals over the run (null when unknown). */
    public record Run(String name, long events, double postsPerSecond, double p50Millis, double p99Millis,
            MicroBatcher.Totals batcher) {

        /** Posts through the batcher per event: 1 without a shadow, about 1 + its fraction with one. */
        public double inferencePerEvent() {
            return batcher == null || events == 0 ? Double.NaN : (double) batcher.posts() / events;
        }
    }

    /**
     * A shadow for a run: {@code version} of the bench's model (inside its store) labels {@code fraction} of the posts
     * beside the serving version.
     */
    public record Shadow(String version, double fraction) {}

    /**
     * @param runSettings job configuration keys of this run (e.g. classify.mode=per-record), over the bench's own
     * @param rate posts/s for the producer, 0 = pre-load everything before the job starts (saturation)
     */
    public Run run(String name, int posts, Map<String, String> runSettings, double rate) throws Exception {
        return run(name, posts, runSettings, rate, null);
    }

    /**
     * Saturation with a shadow: the job starts on an empty posts topic, the shadow is commanded as
     * {@code bin/emotion model shadow} would and confirmed running on every subtask, then every post is sent at once
     * (as fast as the broker takes them: the job still reads a backlog, as when they are pre-loaded).
     */
    public Run runWithShadow(String name, int posts, Shadow shadow) throws Exception {
        return run(name, posts, Map.of(), 0, shadow);
    }

    private Run run(String name, int posts, Map<String, String> runSettings, double rate, Shadow shadow) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            JobConfig config = JobConfig.defaults().with(jobSettings).with(runSettings).with(Map.of(
                    "kafka.bootstrap-servers", kafka.bootstrapServers(),
                    "kafka.starting-offsets", "earliest",
                    "job.parallelism", Integer.toString(parallelism),
                    "job.checkpoint-interval", "2s",
                    "sink.transactional-id-prefix", "bench-" + name.replaceAll("[^a-z0-9]", "-") + "-" + System.nanoTime()));
            kafka.createTopics(Map.of(config.postsTopic(), parallelism, config.eventsTopic(), 1, config.statsTopic(), 1,
                    config.deadLetterTopic(), 1, config.alertsTopic(), 1, config.modelControlTopic(), 1, config.modelStatusTopic(), 1,
                    config.driftAlertsTopic(), 1, config.comparisonsTopic(), 1));
            PostIds ids = new PostIds("bench", 0, posts);
            PostProducer producer = new PostProducer(kafka.bootstrapServers(), config.postsTopic());
            if (rate <= 0 && shadow == null) {
                producer.send(sample, ids, 0, n -> {});
            }
            // A rate run first labels warm-up posts, so job start-up and the model load are not counted as latency.
            int warmup = rate > 0 ? WARMUP_POSTS : 0;
            StreamExecutionEnvironment env = LocalFlink.environment(parallelism);
            EmotionPipeline.configure(env, config);
            EmotionPipeline.build(env, config, KafkaConnectors.postsSource(config), model, KafkaConnectors.sinks(config));
            JobClient job = env.executeAsync("bench " + name);
            Thread feeder = null;
            try {
                if (shadow != null) {
                    startShadow(kafka, config, shadow);
                    producer.send(sample, ids, 0, n -> {});
                }
                if (rate > 0) {
                    new PostProducer(kafka.bootstrapServers(), config.postsTopic()).send(sample, new PostIds("warmup", 0, warmup), 0, n -> {});
                    readEvents(kafka, config.eventsTopic(), warmup, new long[warmup], new long[warmup], Duration.ofMinutes(5), "warmup");
                    feeder = new Thread(() -> {
                        try {
                            producer.send(sample, ids, rate, n -> {});
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }, "bench-producer");
                    feeder.start();
                }
                long[] processed = new long[posts];
                long[] latency = new long[posts];
                int seen = readEvents(kafka, config.eventsTopic(), posts, processed, latency, Duration.ofMinutes(15), "bench");
                MicroBatcher.Totals totals = batcherTotals();
                Arrays.sort(processed, 0, seen);
                Arrays.sort(latency, 0, seen);
                double secs = Math.max(1e-3, (processed[seen - 1] - processed[0]) / 1000.0);
                log.accept(String.format(java.util.Locale.ROOT, "%s: %d events in %.1f s", name, seen, secs));
                return new Run(name, seen, (seen - 1) / secs, percentile(latency, seen, 0.50), percentile(latency, seen, 0.99), totals);
            } finally {
                if (feeder != null) {
                    feeder.interrupt();
                    feeder.join();
                }
                job.cancel().get();
                awaitGone(job);
            }
        }
    }

    /**
     * A cancel returns once it is requested: wait until the job's tasks are gone, so that they close their batcher
     * handles and Kafka transactions before the broker stops, and the next run starts with a fresh batcher (whose
     * totals are then this run's alone, not the previous job's as well).
     */
    private static void awaitGone(JobClient job) throws Exception {
        try {
            job.getJobExecutionResult().get(2, java.util.concurrent.TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException cancelled) {
            // the expected end of a cancelled job
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (DeviceBatcher.shared().references() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the bench job's classify subtasks did not close within a minute");
            }
            Thread.sleep(100);
        }
    }

    /** Sends SHADOW and waits until every subtask reports the shadow running (the status commits with checkpoints). */
    private void startShadow(EmbeddedKafka kafka, JobConfig config, Shadow shadow) throws Exception {
        ModelCommand command = ModelControl.rollout(RolloutStep.SHADOW, shadow.fraction(), model.modelName(), shadow.version(),
                model.storeRoot().resolve(model.modelName()).resolve(shadow.version()), "bench");
        ModelControl.send(kafka.bootstrapServers(), config.modelControlTopic(), command);
        ModelStatusReader reader = new ModelStatusReader(kafka.bootstrapServers(), config.modelStatusTopic());
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            ModelServingState.Outcome outcome = new ModelServingState(model.modelName(), reader.readAll())
                    .outcome(shadow.version(), command.getIssuedAt());
            if (!outcome.refused().isEmpty()) {
                throw new IllegalStateException("the job refused the shadow " + shadow.version() + ": " + outcome.refused().get(0).getReason());
            }
            if (outcome.activeEverywhere()) {
                log.accept("shadow " + model.modelName() + "/" + shadow.version() + " on " + shadow.fraction() + " of the posts, running");
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the shadow " + shadow.version() + " did not start within 5 minutes");
            }
            Thread.sleep(200);
        }
    }

    /** The TaskManager's shared batcher is the JVM's own here (a local cluster): its totals, null when none runs. */
    private static MicroBatcher.Totals batcherTotals() {
        return DeviceBatcher.shared().totals();
    }

    private static final int WARMUP_POSTS = 200;

    /** Reads events of posts whose id starts with {@code idPrefix} until {@code expected} distinct ones arrived. */
    private static int readEvents(EmbeddedKafka kafka, String topic, int expected, long[] processed, long[] latency,
            Duration timeout, String idPrefix) {
        Properties p = kafka.clientProperties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Events as the job writes them; the exactly-once commit (a checkpoint interval) is not what is measured.
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        AvroCodec<EmotionEvent> codec = new AvroCodec<>(EmotionEvent.class);
        java.util.Set<String> ids = new java.util.HashSet<>();
        int n = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (n < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    EmotionEvent e;
                    try {
                        e = codec.decode(r.value());
                    } catch (java.io.IOException bad) {
                        throw new IllegalStateException("undecodable event at offset " + r.offset(), bad);
                    }
                    if (e.getPostId().startsWith(idPrefix) && ids.add(e.getPostId()) && n < expected) {
                        processed[n] = e.getProcessedAt().toEpochMilli();
                        latency[n] = e.getProcessedAt().toEpochMilli() - e.getCreatedAt().toEpochMilli();
                        n++;
                    }
                }
            }
        }
        if (n < expected) {
            throw new IllegalStateException("only " + n + " of " + expected + " events arrived within " + timeout.toMinutes() + " min");
        }
        return n;
    }

    private static double percentile(long[] sorted, int n, double q) {
        int idx = (int) Math.ceil(q * n) - 1;
        return sorted[Math.max(0, Math.min(n - 1, idx))];
    }

    public static List<SamplePost> asSample(List<String> texts) {
        List<SamplePost> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            out.add(new SamplePost("usual_eval-" + (i + 1), texts.get(i), null));
        }
        return out;
    }
}
