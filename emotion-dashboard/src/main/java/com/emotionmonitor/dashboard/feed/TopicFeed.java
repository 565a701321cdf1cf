package com.emotionmonitor.dashboard.feed;

import com.emotionmonitor.dashboard.state.DashboardState;
import com.emotionmonitor.schema.DeadLetter;
import com.emotionmonitor.schema.DriftAlert;
import com.emotionmonitor.schema.EmotionAlert;
import com.emotionmonitor.schema.EmotionEvent;
import com.emotionmonitor.schema.EmotionStats;
import com.emotionmonitor.schema.ModelComparison;
import com.emotionmonitor.schema.ModelStatus;
import com.emotionmonitor.schema.SocialPost;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the job's topics into a {@link DashboardState} as a downstream consumer: {@code read_committed} (only what
 * the exactly-once sinks committed), no consumer group, no offsets committed. Where it starts, for topics that exist
 * when it starts: events at their end (rates and latency are about now); posts {@link #POSTS_LOOKBACK} back (their
 * texts, for the alerts raised just before the start; the cache keeps the newest anyway); stats, alerts, dead
 * letters, comparisons and drift alerts at the first record stamped within {@code history} (their record timestamps
 * are event time, bounded by the writer's clock); model status from its beginning (a small topic whose newest record per subtask may be old). A
 * topic that appears later is read from its beginning. One thread; {@link #close()} stops it.
 */
public final class TopicFeed implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicFeed.class);
    private static final Duration RETRY_MISSING = Duration.ofSeconds(2);
    /** More than a window, its lateness and a checkpoint: the posts an alert read at the start may name. */
    public static final Duration POSTS_LOOKBACK = Duration.ofMinutes(5);

    private final Properties props = new Properties();
    private final DashboardTopics topics;
    private final Duration history;
    private final DashboardState state;
    private final LongSupplier clock;
    private volatile boolean stop;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile Exception failure;
    private volatile boolean assignedAll;

    private final AvroReader<SocialPost> posts = new AvroReader<>(SocialPost.class);
    private final AvroReader<EmotionEvent> events = new AvroReader<>(EmotionEvent.class);
    private final AvroReader<EmotionStats> stats = new AvroReader<>(EmotionStats.class);
    private final AvroReader<EmotionAlert> alerts = new AvroReader<>(EmotionAlert.class);
    private final AvroReader<ModelStatus> statuses = new AvroReader<>(ModelStatus.class);
    private final AvroReader<DeadLetter> deadLetters = new AvroReader<>(DeadLetter.class);
    private final AvroReader<ModelComparison> comparisons = new AvroReader<>(ModelComparison.class);
    private final AvroReader<DriftAlert> driftAlerts = new AvroReader<>(DriftAlert.class);

    /** @param client Kafka client properties (bootstrap servers, security); the read settings are added here */
    public TopicFeed(Properties client, DashboardTopics topics, Duration history, DashboardState state, LongSupplier clock) {
        props.putAll(client);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "emotion-dashboard");
        this.topics = topics;
        this.history = history;
        this.state = state;
        this.clock = clock;
    }

    @Override
    public void run() {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer = c;
            Set<String> assigned = new HashSet<>();
            List<TopicPartition> partitions = new ArrayList<>();
            boolean first = true;
            long nextLookup = 0;
            while (!stop) {
                if (assigned.size() < topics.all().size() && System.nanoTime() >= nextLookup) {
                    assignNew(c, assigned, partitions, first);
                    first = false;
                    assignedAll = assigned.size() == topics.all().size();
                    nextLookup = System.nanoTime() + RETRY_MISSING.toNanos();
                }
                if (partitions.isEmpty()) {
                    Thread.sleep(200);
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    apply(r);
                }
            }
        } catch (WakeupException e) {
            if (!stop) {
                failure = e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("dashboard: reading the topics failed", e);
        }
    }

    /** Assigns the topics that exist now and were not assigned yet, each at its start position. */
    private void assignNew(KafkaConsumer<byte[], byte[]> c, Set<String> assigned, List<TopicPartition> partitions, boolean atStart) {
        Map<TopicPartition, String> fresh = new HashMap<>();
        Map<String, List<PartitionInfo>> existing = c.listTopics(Duration.ofSeconds(30));
        for (String topic : topics.all()) {
            List<PartitionInfo> infos = existing.get(topic);
            if (assigned.contains(topic) || infos == null || infos.isEmpty()) {
                continue;
            }
            assigned.add(topic);
            infos.forEach(p -> fresh.put(new TopicPartition(p.topic(), p.partition()), topic));
        }
        if (fresh.isEmpty()) {
            return;
        }
        partitions.addAll(fresh.keySet());
        c.assign(partitions);
        long now = clock.getAsLong();
        long since = now - history.toMillis();
        long postsSince = now - Math.min(history.toMillis(), POSTS_LOOKBACK.toMillis());
        Map<TopicPartition, Long> byTime = new HashMap<>();
        List<TopicPartition> toEnd = new ArrayList<>();
        List<TopicPartition> toBeginning = new ArrayList<>();
        fresh.forEach((tp, topic) -> {
            if (!atStart || topic.equals(topics.modelStatus())) {
                toBeginning.add(tp);
            } else if (topic.equals(topics.events())) {
                toEnd.add(tp);
            } else if (topic.equals(topics.posts())) {
                byTime.put(tp, postsSince);
            } else {
                byTime.put(tp, since);
            }
        });
        c.seekToBeginning(toBeginning);
        c.seekToEnd(toEnd);
        if (!byTime.isEmpty()) {
            Map<TopicPartition, OffsetAndTimestamp> offsets = c.offsetsForTimes(byTime, Duration.ofSeconds(30));
            List<TopicPartition> none = new ArrayList<>();
            offsets.forEach((tp, o) -> {
                if (o == null) {
                    none.add(tp); // nothing that recent: only what comes
                } else {
                    c.seek(tp, o.offset());
                }
            });
            c.seekToEnd(none);
        }
        LOG.info("dashboard: reading {}", fresh.values().stream().distinct().sorted().toList());
    }

    private void apply(ConsumerRecord<byte[], byte[]> r) {
        String topic = r.topic();
        try {
            if (topic.equals(topics.posts())) {
                state.onPost(posts.read(r.value()), r.timestamp());
            } else if (topic.equals(topics.events())) {
                state.onEvent(events.read(r.value()));
            } else if (topic.equals(topics.stats())) {
                state.onStats(stats.read(r.value()));
            } else if (topic.equals(topics.alerts())) {
                state.onAlert(alerts.read(r.value()));
            } else if (topic.equals(topics.modelStatus())) {
                state.onModelStatus(statuses.read(r.value()));
            } else if (topic.equals(topics.deadLetters())) {
                state.onDeadLetter(deadLetters.read(r.value()));
            } else if (topic.equals(topics.comparisons())) {
                state.onComparison(comparisons.read(r.value()));
            } else if (topic.equals(topics.driftAlerts())) {
                state.onDriftAlert(driftAlerts.read(r.value()));
            }
        } catch (IOException | RuntimeException e) {
            // The posts topic carries what producers send, malformed bytes included (the job dead-letters them).
            state.onUndecodable(topic);
        }
    }

    /** Whether every topic was found and assigned. */
    public boolean readingAll() {
        return assignedAll;
    }

    /** Why the feed stopped, or null. */
    public Exception failure() {
        return failure;
    }

    @Override
    public void close() {
        stop = true;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }
}
