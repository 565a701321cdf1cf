package com.emotionmonitor.demo;

import com.emotionmonitor.job.io.AvroCodec;
import com.emotionmonitor.job.ops.Scopes;
import com.emotionmonitor.schema.AlertKind;
import com.emotionmonitor.schema.DeadLetter;
import com.emotionmonitor.schema.EmotionAlert;
import com.emotionmonitor.schema.EmotionEvent;
import com.emotionmonitor.schema.EmotionStats;
import com.emotionmonitor.schema.StatsKind;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the job's four output topics as a downstream consumer would ({@code isolation.level=read_committed}: only
 * what the exactly-once sinks committed) and keeps the demo's counters: unique events, duplicates, per-emotion
 * counts, end-to-end latency, the newest revision of every stats window, dead letters, alerts. One thread; snapshots for
 * the view are taken under the object's lock.
 */
public final class OutputWatcher implements Runnable {

    private final Properties consumerProps = new Properties();
    private final String eventsTopic;
    private final String statsTopic;
    private final String deadLetterTopic;
    private final String alertsTopic;
    private final Function<String, Long> ackedAtNanos;
    private volatile boolean stopRequested;
    private volatile boolean caughtUp;
    /** Completed read passes that ended with nothing committed left unread. */
    private final java.util.concurrent.atomic.AtomicLong caughtUpPasses = new java.util.concurrent.atomic.AtomicLong();
    private volatile Exception failure;

    private final Set<String> eventIds = new HashSet<>();
    private long duplicates;
    private final long[] emotionCounts = new long[com.emotionmonitor.schema.Emotion.values().length];
    private long emptyText;
    private final LatencyHistogram latency = new LatencyHistogram();
    private final RecentLatency recentLatency = new RecentLatency(10_000_000_000L);
    /** window start -> newest WINDOW revision of the global scope. */
    private final TreeMap<Instant, EmotionStats> globalWindows = new TreeMap<>();
    private long globalLate;
    private long statsRecords;
    private final Set<String> scopes = new HashSet<>();
    private long deadLetters;
    private String lastDeadLetterReason;
    /** SPIKE alerts per emotion ordinal, RECOVERY alerts, and every alert in arrival order. */
    private final long[] spikesByEmotion = new long[com.emotionmonitor.schema.Emotion.values().length];
    private long recoveries;
    private final List<EmotionAlert> alerts = new ArrayList<>();
    private String modelVersion;
    private long firstEventNanos;
    private long lastEventNanos;

    public OutputWatcher(Properties clientProps, String eventsTopic, String statsTopic, String deadLetterTopic,
                         String alertsTopic, Function<String, Long> ackedAtNanos) {
        consumerProps.putAll(clientProps);
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        this.eventsTopic = eventsTopic;
        this.statsTopic = statsTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.alertsTopic = alertsTopic;
        this.ackedAtNanos = ackedAtNanos;
    }

    @Override
    public void run() {
        AvroCodec<EmotionEvent> events = new AvroCodec<>(EmotionEvent.class);
        AvroCodec<EmotionStats> stats = new AvroCodec<>(EmotionStats.class);
        AvroCodec<DeadLetter> dead = new AvroCodec<>(DeadLetter.class);
        AvroCodec<EmotionAlert> alertCodec = new AvroCodec<>(EmotionAlert.class);
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(eventsTopic, statsTopic, deadLetterTopic, alertsTopic)) {
                consumer.partitionsFor(topic, Duration.ofSeconds(30))
                        .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!stopRequested) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    long now = System.nanoTime();
                    synchronized (this) {
                        if (r.topic().equals(eventsTopic)) {
                            onEvent(events.decode(r.value()), now);
                        } else if (r.topic().equals(statsTopic)) {
                            onStats(stats.decode(r.value()));
                        } else if (r.topic().equals(alertsTopic)) {
                            onAlert(alertCodec.decode(r.value()));
                        } else {
                            onDeadLetter(dead.decode(r.value()));
                        }
                    }
                }
                caughtUp = atEnd(consumer, partitions);
                if (caughtUp) {
                    caughtUpPasses.incrementAndGet();
                }
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
        }
    }

    private static boolean atEnd(KafkaConsumer<byte[], byte[]> consumer, Collection<TopicPartition> partitions) {
        // For a read_committed consumer the end offset is the last stable offset: nothing committed is left unread.
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        for (TopicPartition tp : partitions) {
            if (consumer.position(tp) < end.get(tp)) {
                return false;
            }
        }
        return true;
    }

    private void onEvent(EmotionEvent e, long now) {
        if (!eventIds.add(e.getPostId())) {
            duplicates++;
            return;
        }
        emotionCounts[e.getEmotion().ordinal()]++;
        if (e.getEmptyText()) {
            emptyText++;
        }
        modelVersion = e.getModelName() + "/" + e.getModelVersion();
        Long acked = ackedAtNanos.apply(e.getPostId());
        if (acked != null) {
            latency.record((now - acked) / 1_000_000);
            recentLatency.record(now, (now - acked) / 1_000_000);
        }
        if (firstEventNanos == 0) {
            firstEventNanos = now;
        }
        lastEventNanos = now;
    }

    private void onStats(EmotionStats s) {
        statsRecords++;
        scopes.add(s.getScope());
        if (!s.getScope().equals(Scopes.GLOBAL)) {
            return;
        }
        if (s.getKind() == StatsKind.LATE) {
            globalLate += s.getTotal();
            return;
        }
        EmotionStats previous = globalWindows.get(s.getWindowStart());
        if (previous == null || previous.getRevision() < s.getRevision()) {
            globalWindows.put(s.getWindowStart(), s);
        }
    }

    private void onAlert(EmotionAlert a) {
        alerts.add(a);
        if (a.getKind() == AlertKind.SPIKE) {
            spikesByEmotion[a.getEmotion().ordinal()]++;
        } else {
            recoveries++;
        }
    }

    private void onDeadLetter(DeadLetter d) {
        deadLetters++;
        lastDeadLetterReason = d.getStage() + " " + d.getSourceTopic() + "-" + d.getSourcePartition() + "@" + d.getSourceOffset()
                + ": " + d.getError();
    }

    /**
     * Waits until a read pass that started after this call ends with every committed record read: call it once the
     * job has stopped to know that the counters are final. False on timeout or failure.
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long target = caughtUpPasses.get() + 2; // the pass in progress may have started before the call
        long deadline = System.nanoTime() + timeout.toNanos();
        while (caughtUpPasses.get() < target && failure == null) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return failure == null;
    }

    public Exception failure() {
        return failure;
    }

    public void stop() {
        stopRequested = true;
    }

    public synchronized Snapshot snapshot() {
        long statsTotal = globalLate;
        for (EmotionStats s : globalWindows.values()) {
            statsTotal += s.getTotal();
        }
        List<EmotionStats> latest = new ArrayList<>(globalWindows.descendingMap().values());
        long now = System.nanoTime();
        return new Snapshot(eventIds.size(), duplicates, emotionCounts.clone(), emptyText, latency.percentile(50),
                latency.percentile(99), recentLatency.percentile(now, 50), recentLatency.percentile(now, 99), latency.count(), statsTotal, globalWindows.size(), globalLate, statsRecords,
                scopes.size(), latest.subList(0, Math.min(3, latest.size())), deadLetters, lastDeadLetterReason, modelVersion,
                firstEventNanos, lastEventNanos, spikesByEmotion.clone(), recoveries, List.copyOf(alerts));
    }

    /** A consistent copy of the counters. Latencies in ms; -1 when nothing was measured. */
    public record Snapshot(long eventsOut, long duplicates, long[] emotionCounts, long emptyText, long latencyP50Ms,
                           long latencyP99Ms, long recentP50Ms, long recentP99Ms, long latencySamples, long statsTotal, int globalWindows, long lateStats,
                           long statsRecords, int scopes, List<EmotionStats> latestGlobalWindows, long deadLetters,
                           String lastDeadLetterReason, String modelVersion, long firstEventNanos, long lastEventNanos,
                           long[] spikesByEmotion, long recoveries, List<EmotionAlert> alerts) {}
}
