package com.emotionmonitor.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.tools.DemoPosts;
import com.emotionmonitor.cli.EmotionCli;
import com.emotionmonitor.job.EmotionPipeline;
import com.emotionmonitor.job.KafkaConnectors;
import com.emotionmonitor.job.JobConfig;
import com.emotionmonitor.job.io.AvroCodec;
import com.emotionmonitor.job.model.StoreModelSource;
import com.emotionmonitor.job.ops.Scopes;
import com.emotionmonitor.schema.DeadLetter;
import com.emotionmonitor.schema.EmotionEvent;
import com.emotionmonitor.schema.EmotionStats;
import com.emotionmonitor.schema.ModelComparison;
import com.emotionmonitor.schema.SocialPost;
import com.emotionmonitor.schema.StatsKind;
import com.emotionmonitor.train.TinyRecipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What the pipeline ITs share: a real tiny model trained for the test, real posts (the demo sample plus posts with
 * #topics# and posts that are empty after cleaning), a Kafka producer, and a read_committed reader of the outputs.
 */
final class PipelineFixture {

    static final long EVENT_TIME_START = Instant.parse("2026-01-01T08:00:00Z").toEpochMilli();
    static final String EMPTY_AFTER_CLEANING = "http://t.cn/A6vXyZ12";

    private PipelineFixture() {}

    /** Trains and publishes the tiny model into {@code store} (a few seconds) and pins it. */
    static StoreModelSource tinyModel(Path store) throws Exception {
        TinyRecipe.trainAndPublish(store, "tiny-emotion", "it-1", 42L);
        return StoreModelSource.resolve(store, "tiny-emotion", "");
    }

    /** Settings for one test: its own topics, group and transactional ids; quick checkpoints. */
    static JobConfig config(String bootstrap, String run, StoreModelSource model, boolean bounded) {
        Map<String, String> s = new HashMap<>();
        s.put("kafka.bootstrap-servers", bootstrap);
        s.put("kafka.group-id", "it-" + run);
        s.put("kafka.starting-offsets", "earliest");
        s.put("kafka.bounded", Boolean.toString(bounded));
        s.put("topic.posts", run + "-posts");
        s.put("topic.events", run + "-events");
        s.put("topic.stats", run + "-stats");
        s.put("topic.dead-letters", run + "-dead-letters");
        s.put("topic.alerts", run + "-alerts");
        s.put("topic.model-control", run + "-model-control");
        s.put("topic.model-status", run + "-model-status");
        s.put("job.parallelism", "2");
        s.put("job.checkpoint-interval", "500ms");
        s.put("job.restart-attempts", "3");
        s.put("job.restart-delay", "200ms");
        s.put("sink.transactional-id-prefix", "it-" + run);
        s.put("sink.transaction-timeout", "5min");
        s.put("watermark.idleness", "1s");
        s.put("batch.max-wait", "5ms");
        s.put("model.store", model.versionDir().getParent().getParent().toString());
        s.put("model.name", model.modelName());
        s.put("model.version", model.modelVersion());
        return JobConfig.from(s);
    }

    /**
     * The job's topics. Time-based retention is off: the sinks stamp records with their event time (2026-01-01 here),
     * older than the broker's 7-day default, so a long test would see the broker delete its oldest output.
     */
    static void createTopics(String bootstrap, JobConfig c) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(topic(c.postsTopic(), 2), topic(c.eventsTopic(), 1), topic(c.statsTopic(), 1),
                    topic(c.deadLetterTopic(), 1), topic(c.alertsTopic(), 1), topic(c.modelControlTopic(), 1),
                    topic(c.modelStatusTopic(), 1), topic(c.driftAlertsTopic(), 1), topic(c.comparisonsTopic(), 1)))
                    .all().get(60, TimeUnit.SECONDS);
        }
    }

    private static NewTopic topic(String name, int partitions) {
        return new NewTopic(name, partitions, (short) 1).configs(Map.of("retention.ms", "-1"));
    }

    /**
     * {@code n} posts: real ones from the demo sample, every 10th with a #topic#, two that are empty after cleaning.
     * Event times one second apart (several one-minute windows), shuffled locally within the out-of-orderness bound.
     */
    static List<SocialPost> posts(int n) throws Exception {
        List<DemoPosts.SamplePost> sample = DemoPosts.load();
        Random random = new Random(7);
        List<SocialPost> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String text = sample.get(i % sample.size()).content();
            if (i % 10 == 3) {
                text = "#高考加油# " + text;
            }
            if (i == 5 || i == n - 2) {
                text = EMPTY_AFTER_CLEANING;
            }
            long jitter = random.nextInt(2_000);
            out.add(SocialPost.newBuilder()
                    .setId("post-" + i)
                    .setText(text)
                    .setCreatedAt(Instant.ofEpochMilli(EVENT_TIME_START + i * 1_000L - jitter))
                    .setAuthorId(i % 3 == 0 ? "user-" + i : null)
                    .setSource(Map.of("dataset", DemoPosts.DATASET))
                    .build());
        }
        return out;
    }

    /** Coordinates of a produced record, to compare with the dead letters' source fields. */
    record Produced(int partition, long offset) {}

    static List<Produced> produce(String bootstrap, String topic, List<SocialPost> posts, List<byte[]> malformed) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        AvroCodec<SocialPost> codec = new AvroCodec<>(SocialPost.class);
        List<Produced> malformedAt = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (SocialPost post : posts) {
                producer.send(new ProducerRecord<>(topic, post.getId().getBytes(StandardCharsets.UTF_8), codec.encode(post)));
            }
            for (byte[] bad : malformed) {
                RecordMetadata md = producer.send(new ProducerRecord<>(topic, null, bad)).get();
                malformedAt.add(new Produced(md.partition(), md.offset()));
            }
            producer.flush();
        }
        return malformedAt;
    }

    /** Everything committed so far on the four output topics, read as a downstream read_committed consumer. */
    record Output(List<EmotionEvent> events, List<EmotionStats> stats, List<DeadLetter> deadLetters,
                  List<ModelComparison> comparisons) {

        List<String> eventIds() {
            return events.stream().map(EmotionEvent::getPostId).toList();
        }

        /** The newest revision of each global window plus the global LATE records: every event counted once. */
        long globalStatsTotal() {
            Map<Instant, EmotionStats> newest = new HashMap<>();
            long late = 0;
            for (EmotionStats s : stats) {
                if (!s.getScope().equals(Scopes.GLOBAL)) {
                    continue;
                }
                if (s.getKind() == StatsKind.LATE) {
                    late += s.getTotal();
                } else {
                    newest.merge(s.getWindowStart(), s, (a, b) -> a.getRevision() >= b.getRevision() ? a : b);
                }
            }
            return late + newest.values().stream().mapToLong(EmotionStats::getTotal).sum();
        }

        /** The global stats records in order, for assertion messages. */
        String describeGlobalStats() {
            StringBuilder b = new StringBuilder();
            stats.stream().filter(s -> s.getScope().equals(Scopes.GLOBAL)).forEach(s -> b.append(String.format(
                    "%n  %s %s r%d total %d", s.getKind(), s.getWindowStart(), s.getRevision(), s.getTotal())));
            return b.toString();
        }
    }

    private static Map<TopicPartition, Long> settledEndOffsets(String bootstrap, KafkaConsumer<byte[], byte[]> committed,
            List<TopicPartition> partitions) throws InterruptedException {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        try (KafkaConsumer<byte[], byte[]> all = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            while (true) {
                Map<TopicPartition, Long> stable = committed.endOffsets(partitions);
                if (stable.equals(all.endOffsets(partitions)) || System.nanoTime() > deadline) {
                    return stable;
                }
                Thread.sleep(200);
            }
        }
    }

    static Output readCommitted(String bootstrap, JobConfig c) throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        AvroCodec<EmotionEvent> events = new AvroCodec<>(EmotionEvent.class);
        AvroCodec<EmotionStats> stats = new AvroCodec<>(EmotionStats.class);
        AvroCodec<DeadLetter> dead = new AvroCodec<>(DeadLetter.class);
        AvroCodec<ModelComparison> comparisons = new AvroCodec<>(ModelComparison.class);
        Output out = new Output(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(c.eventsTopic(), c.statsTopic(), c.deadLetterTopic(), c.comparisonsTopic())) {
                consumer.partitionsFor(topic).forEach(pi -> partitions.add(new TopicPartition(pi.topic(), pi.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // For read_committed the end offset is the last stable offset: stop once everything committed is read. The
            // sink's last commit can land just after the bounded job returns, so first wait (bounded) until no transaction
            // is open, i.e. the last stable offset has reached the high watermark; a lingering one (a killed attempt's,
            // aborted only at its timeout) leaves the old behaviour after 15 s.
            Map<TopicPartition, Long> end = settledEndOffsets(bootstrap, consumer, partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                assertTrue(System.nanoTime() < deadline, "could not read the committed output to its end");
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(c.eventsTopic())) {
                        out.events().add(events.decode(r.value()));
                    } else if (r.topic().equals(c.statsTopic())) {
                        out.stats().add(stats.decode(r.value()));
                    } else if (r.topic().equals(c.comparisonsTopic())) {
                        out.comparisons().add(comparisons.decode(r.value()));
                    } else {
                        out.deadLetters().add(dead.decode(r.value()));
                    }
                }
            }
        }
        return out;
    }

    /** Polls the committed output until {@code events} events are visible (or fails after {@code timeout}). */
    static Output awaitEvents(String bootstrap, JobConfig c, int events, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Output out = readCommitted(bootstrap, c);
            if (out.events().size() >= events) {
                return out;
            }
            assertTrue(System.nanoTime() < deadline,
                    "only " + out.events().size() + " of " + events + " events committed within " + timeout);
            Thread.sleep(250);
        }
    }

    /** Builds the job as {@code main} does and starts it, restored from {@code savepoint} when one is given. */
    static JobClient start(JobConfig config, StoreModelSource model, String savepoint, String jobName) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        EmotionPipeline.configure(env, config);
        EmotionPipeline.build(env, config, KafkaConnectors.postsSource(config), model, KafkaConnectors.sinks(config));
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(jobName + (savepoint == null ? "" : " (restored)"));
        if (savepoint != null) {
            graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
        }
        return env.executeAsync(graph);
    }

    /** Cancels a job a failed assertion left running; a stopped or finished one is left as it is. */
    static void cancelIfRunning(JobClient job) throws Exception {
        if (!job.getJobStatus().get(1, TimeUnit.MINUTES).isGloballyTerminalState()) {
            job.cancel().get(1, TimeUnit.MINUTES);
        }
    }

    /** {@code bin/emotion model <subcommand> <control flags> <args>} in this JVM; returns its exit code. */
    static int modelCli(String[] control, String subcommand, String... args) {
        List<String> all = new ArrayList<>(List.of("model", subcommand));
        all.addAll(List.of(control));
        all.addAll(List.of(args));
        return EmotionCli.commandLine().execute(all.toArray(String[]::new));
    }

    /**
     * Reads the committed output back until {@code done} holds; after {@code timeout} fails with what was committed so
     * far (events per model/version, the first dead letters' reasons).
     */
    static Output awaitOutput(String bootstrap, JobConfig c, Predicate<Output> done, String what, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Output out = readCommitted(bootstrap, c);
            if (done.test(out)) {
                return out;
            }
            assertTrue(System.nanoTime() < deadline, () -> "not within " + timeout + ": " + what + "; committed so far: "
                    + versions(out) + ", dead letters " + out.deadLetters().size()
                    + out.deadLetters().stream().limit(3).map(d -> "\n  " + d.getError()).collect(Collectors.joining()));
            Thread.sleep(250);
        }
    }

    /** Committed events per {@code model/version}, sorted. */
    static Map<String, Long> versions(Output out) {
        return out.events().stream().collect(Collectors.groupingBy(e -> e.getModelName() + "/" + e.getModelVersion(),
                java.util.TreeMap::new, Collectors.counting()));
    }
}
