package com.emotionmonitor.job;

import com.emotionmonitor.job.alerts.SpikeDetectorConfig;
import com.emotionmonitor.job.time.EventTimePolicy;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.util.TimeUtils;

/**
 * Every setting of the streaming job, typed and in one place. Built from {@code key=value} pairs (a properties file,
 * then CLI overrides); {@link #KEYS} lists the keys, their defaults and meaning. Durations accept Flink's syntax
 * ({@code 500ms}, {@code 30s}, {@code 1min}, {@code 2h}).
 */
public record JobConfig(
        String bootstrapServers,
        String groupId,
        StartingOffsets startingOffsets,
        boolean bounded,
        String postsTopic,
        String eventsTopic,
        String statsTopic,
        String deadLetterTopic,
        String alertsTopic,
        int parallelism,
        Duration checkpointInterval,
        Duration bufferTimeout,
        int restartAttempts,
        Duration restartDelay,
        String transactionalIdPrefix,
        Duration transactionTimeout,
        Duration outOfOrderness,
        Duration idleness,
        EventTimePolicy eventTime,
        Duration windowSize,
        Duration allowedLateness,
        Duration lateFlushInterval,
        int exampleIds,
        SpikeDetectorConfig alerts,
        int batchMaxSize,
        int batchMaxTokens,
        Duration batchMaxWait,
        int batchOverheadTokens,
        ClassifyMode classifyMode,
        int asyncCapacity,
        Duration asyncTimeout,
        String modelStore,
        String modelName,
        String modelVersion,
        String modelControlTopic,
        String modelStatusTopic)
        implements Serializable {

    /** How posts reach the model. */
    public enum ClassifyMode {
        /** The TaskManager's shared micro-batcher behind Flink's async operator (the product). */
        BATCHED,
        /** One forward pass per post in a map on the task thread: the baseline the bench compares against. */
        PER_RECORD
    }

    /** Where the posts source starts when the consumer group has no committed offsets yet, or always. */
    public enum StartingOffsets {
        /** Resume from the group's committed offsets; the earliest offset if there are none. */
        COMMITTED,
        EARLIEST,
        LATEST
    }

    /** Key -> {default, meaning}. The order is the order of the help text. */
    public static final Map<String, String[]> KEYS = keys();

    private static Map<String, String[]> keys() {
        Map<String, String[]> k = new LinkedHashMap<>();
        k.put("kafka.bootstrap-servers", new String[] {"127.0.0.1:9092", "Kafka bootstrap servers"});
        k.put("kafka.group-id", new String[] {"emotion-monitor", "consumer group of the posts source"});
        k.put("kafka.starting-offsets", new String[] {"committed", "committed | earliest | latest"});
        k.put("kafka.bounded", new String[] {"false", "stop at the posts topic's end offsets taken at start (backfill)"});
        k.put("topic.posts", new String[] {"social-posts", "input topic of Avro SocialPost"});
        k.put("topic.events", new String[] {"emotion-events", "output topic of Avro EmotionEvent (key: post id)"});
        k.put("topic.stats", new String[] {"emotion-stats", "output topic of Avro EmotionStats (key: scope)"});
        k.put("topic.dead-letters", new String[] {"emotion-dead-letters", "output topic of Avro DeadLetter"});
        k.put("topic.alerts", new String[] {"emotion-alerts", "output topic of Avro EmotionAlert (key: scope)"});
        k.put("job.parallelism", new String[] {"1", "parallelism of every operator"});
        k.put("job.buffer-timeout", new String[] {"5ms", "longest a record waits in a network buffer between operators"
                + " (Flink's default 100ms would add up to 100 ms to every post's latency at moderate load)"});
        k.put("job.checkpoint-interval", new String[] {"10s", "checkpoint interval; Kafka transactions commit on checkpoints"});
        k.put("job.restart-attempts", new String[] {"3", "fixed-delay restart attempts before the job fails"});
        k.put("job.restart-delay", new String[] {"2s", "delay between restart attempts"});
        k.put("sink.transactional-id-prefix", new String[] {"emotion-monitor", "prefix of the sinks' Kafka transactional ids (unique per job)"});
        k.put("sink.transaction-timeout", new String[] {"10min", "Kafka transaction timeout; must stay below the broker's transaction.max.timeout.ms (15min by default)"});
        k.put("watermark.out-of-orderness", new String[] {"5s", "bounded out-of-orderness of created_at"});
        k.put("watermark.idleness", new String[] {"30s", "a partition without posts this long stops holding back the watermark"});
        k.put("event-time.max-future-skew", new String[] {"5s", "a created_at further ahead of the job's clock is replaced"
                + " (by the record's Kafka timestamp, or the time the post is read) and the event flagged; bounds how far the"
                + " watermark and any written timestamp can lead the clock. Keep it well below the broker's"
                + " message.timestamp.after.max.ms (1h by default)"});
        k.put("event-time.max-past", new String[] {"3650d", "a created_at further behind the job's clock is replaced the same"
                + " way (a floor against absurd dates such as 1970)"});
        k.put("window.size", new String[] {"1min", "tumbling event-time window of the statistics"});
        k.put("window.allowed-lateness", new String[] {"30s", "late events within this re-fire their window; later ones become LATE stats"});
        k.put("window.late-flush-interval", new String[] {"10s", "events later than the allowed lateness are gathered per"
                + " scope and window and written as one LATE stats record this long (processing time) after the first of them"});
        k.put("window.example-ids", new String[] {"3", "post ids kept per emotion in each stats window (most confident first); alerts show them"});
        alertKeys(k);
        k.put("batch.max-size", new String[] {"64", "most posts in one model batch"});
        k.put("batch.max-tokens", new String[] {"2048", "most padded tokens (batch size x longest post) in one model batch"});
        k.put("batch.max-wait", new String[] {"10ms", "longest a post waits for its batch to fill"});
        k.put("batch.overhead-tokens", new String[] {Integer.toString(com.emotionmonitor.serving.BatchLimits.CPU_OVERHEAD_TOKENS),
                "cost of one forward pass in padded tokens: pending posts are split into the length groups that minimise"
                        + " passes x this + padded tokens (CPU: ~50; GPU: hundreds)"});
        k.put("classify.mode", new String[] {"batched", "batched (shared micro-batcher, async) or per-record (one"
                + " forward pass per post in a map: the baseline of bin/emotion bench pipeline)"});
        k.put("async.capacity", new String[] {"1024", "posts in flight per classify subtask: the pool the batcher groups by length"});
        k.put("async.timeout", new String[] {"60s", "a post not labelled within this goes to the dead-letter topic"});
        k.put("model.store", new String[] {"model-store", "model store root: <store>/<name>/<version>/"});
        k.put("model.name", new String[] {"weibo-emotion", "model to serve"});
        k.put("model.version", new String[] {"", "version to serve; empty = the newest published version, resolved once at job start"});
        k.put("topic.model-control", new String[] {"model-control",
                "input topic of Avro ModelCommand (ACTIVATE / ROLLBACK), broadcast to every subtask; read from the job's start time"});
        k.put("topic.model-status", new String[] {"model-status",
                "output topic of Avro ModelStatus: each subtask's accepted, active and refused model versions (key: model name)"});
        return java.util.Collections.unmodifiableMap(k);
    }

    /** The spike detector's thresholds; defaults are {@link SpikeDetectorConfig#defaults()}. */
    private static void alertKeys(Map<String, String[]> k) {
        SpikeDetectorConfig d = SpikeDetectorConfig.defaults();
        k.put("alerts.ewma-alpha", new String[] {Double.toString(d.ewmaAlpha()),
                "weight of the newest window in each scope's baseline (EWMA mean and variance of each emotion's share), in (0, 1]"});
        k.put("alerts.warmup-windows", new String[] {Integer.toString(d.warmupWindows()), "windows a scope must have had before it may alert"});
        k.put("alerts.min-window-total", new String[] {Long.toString(d.minWindowTotal()),
                "posts a window needs to be judged or learned from (smaller windows never alert)"});
        k.put("alerts.min-emotion-count", new String[] {Long.toString(d.minEmotionCount()), "posts of the spiking emotion a window needs to alert"});
        k.put("alerts.min-lift", new String[] {Double.toString(d.minLift()), "observed share minus baseline share, at least (0.10 = ten points)"});
        k.put("alerts.z-low", new String[] {Double.toString(d.zLow()), "score (z) that raises a LOW alert"});
        k.put("alerts.z-medium", new String[] {Double.toString(d.zMedium()), "score for MEDIUM severity"});
        k.put("alerts.z-high", new String[] {Double.toString(d.zHigh()), "score for HIGH severity"});
        k.put("alerts.recovery-z", new String[] {Double.toString(d.recoveryZ()), "an episode ends (RECOVERY) when the score falls below this"});
        k.put("alerts.cooldown-windows", new String[] {Integer.toString(d.cooldownWindows()),
                "after a recovery, windows during which the same emotion cannot alert again"});
        k.put("alerts.idle-timeout", new String[] {TimeUtils.formatWithHighestUnit(Duration.ofMillis(d.idleTimeoutMillis())),
                "event time without a window after which a scope's baseline is dropped (must exceed window.size)"});
    }

    public JobConfig {
        require(!bootstrapServers.isBlank(), "kafka.bootstrap-servers is empty");
        require(parallelism >= 1, "job.parallelism must be >= 1, got " + parallelism);
        require(!bufferTimeout.isNegative(), "job.buffer-timeout must not be negative");
        require(!checkpointInterval.isNegative() && !checkpointInterval.isZero(), "job.checkpoint-interval must be positive");
        require(transactionTimeout.compareTo(checkpointInterval) > 0,
                "sink.transaction-timeout (" + transactionTimeout + ") must exceed job.checkpoint-interval (" + checkpointInterval + ")");
        require(restartAttempts >= 0, "job.restart-attempts must be >= 0");
        require(windowSize.toMillis() > 0, "window.size must be positive");
        require(!allowedLateness.isNegative(), "window.allowed-lateness must not be negative");
        require(exampleIds >= 0 && exampleIds <= 100, "window.example-ids must be in [0, 100], got " + exampleIds);
        require(alerts.idleTimeoutMillis() > windowSize.toMillis(),
                "alerts.idle-timeout (" + Duration.ofMillis(alerts.idleTimeoutMillis()) + ") must exceed window.size (" + windowSize + ")");
        require(!outOfOrderness.isNegative(), "watermark.out-of-orderness must not be negative");
        require(lateFlushInterval.toMillis() > 0, "window.late-flush-interval must be positive");
        require(idleness.toMillis() > 0, "watermark.idleness must be positive");
        require(batchMaxSize >= 1, "batch.max-size must be >= 1");
        require(batchMaxTokens >= 1, "batch.max-tokens must be >= 1");
        require(!batchMaxWait.isNegative(), "batch.max-wait must not be negative");
        require(batchOverheadTokens >= 0, "batch.overhead-tokens must be >= 0");
        require(asyncCapacity >= 1, "async.capacity must be >= 1");
        require(asyncTimeout.toMillis() > 0, "async.timeout must be positive");
        require(!transactionalIdPrefix.isBlank(), "sink.transactional-id-prefix is empty");
        // A HashSet, not Set.of: Set.of throws its own "duplicate element" before the message below could name the topics.
        require(new java.util.HashSet<>(java.util.List.of(postsTopic, eventsTopic, statsTopic, deadLetterTopic, alertsTopic)).size() == 5,
                "topics must be five different names: " + postsTopic + ", " + eventsTopic + ", " + statsTopic + ", " + deadLetterTopic
                        + ", " + alertsTopic);
        require(!modelName.isBlank(), "model.name is empty");
        require(!modelControlTopic.isBlank() && !modelStatusTopic.isBlank() && !modelControlTopic.equals(modelStatusTopic)
                        && !Set.of(postsTopic, eventsTopic, statsTopic, deadLetterTopic, alertsTopic).contains(modelControlTopic)
                        && !Set.of(postsTopic, eventsTopic, statsTopic, deadLetterTopic, alertsTopic).contains(modelStatusTopic),
                "topic.model-control (" + modelControlTopic + ") and topic.model-status (" + modelStatusTopic
                        + ") must be two more topics, different from each other and from the data topics");
    }

    /** All defaults. */
    public static JobConfig defaults() {
        return from(Map.of());
    }

    /** Defaults, overridden by {@code settings}; unknown keys and unparsable values are errors naming the key. */
    public static JobConfig from(Map<String, String> settings) {
        Set<String> unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(KEYS.keySet());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown job setting(s) " + unknown + "; known: " + KEYS.keySet());
        }
        Values v = new Values(settings);
        return new JobConfig(
                v.str("kafka.bootstrap-servers"),
                v.str("kafka.group-id"),
                v.enumValue("kafka.starting-offsets", StartingOffsets.class),
                v.bool("kafka.bounded"),
                v.str("topic.posts"),
                v.str("topic.events"),
                v.str("topic.stats"),
                v.str("topic.dead-letters"),
                v.str("topic.alerts"),
                v.integer("job.parallelism"),
                v.duration("job.checkpoint-interval"),
                v.duration("job.buffer-timeout"),
                v.integer("job.restart-attempts"),
                v.duration("job.restart-delay"),
                v.str("sink.transactional-id-prefix"),
                v.duration("sink.transaction-timeout"),
                v.duration("watermark.out-of-orderness"),
                v.duration("watermark.idleness"),
                v.eventTimePolicy(),
                v.duration("window.size"),
                v.duration("window.allowed-lateness"),
                v.duration("window.late-flush-interval"),
                v.integer("window.example-ids"),
                new SpikeDetectorConfig(
                        v.dbl("alerts.ewma-alpha"),
                        v.integer("alerts.warmup-windows"),
                        v.lng("alerts.min-window-total"),
                        v.lng("alerts.min-emotion-count"),
                        v.dbl("alerts.min-lift"),
                        v.dbl("alerts.z-low"),
                        v.dbl("alerts.z-medium"),
                        v.dbl("alerts.z-high"),
                        v.dbl("alerts.recovery-z"),
                        v.integer("alerts.cooldown-windows"),
                        v.duration("alerts.idle-timeout").toMillis()),
                v.integer("batch.max-size"),
                v.integer("batch.max-tokens"),
                v.duration("batch.max-wait"),
                v.integer("batch.overhead-tokens"),
                v.enumValue("classify.mode", ClassifyMode.class),
                v.integer("async.capacity"),
                v.duration("async.timeout"),
                v.str("model.store"),
                v.str("model.name"),
                v.str("model.version"),
                v.str("topic.model-control"),
                v.str("topic.model-status"));
    }

    /** Reads a properties file (UTF-8) into settings for {@link #from}. */
    public static Map<String, String> readProperties(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, String> out = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k).trim()));
        return out;
    }

    /** This config with some settings replaced (same keys as {@link #from}). */
    public JobConfig with(Map<String, String> overrides) {
        Map<String, String> all = new LinkedHashMap<>(toSettings());
        all.putAll(overrides);
        return from(all);
    }

    /** The settings that reproduce this config. */
    public Map<String, String> toSettings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("kafka.bootstrap-servers", bootstrapServers);
        s.put("kafka.group-id", groupId);
        s.put("kafka.starting-offsets", startingOffsets.name().toLowerCase(java.util.Locale.ROOT));
        s.put("kafka.bounded", Boolean.toString(bounded));
        s.put("topic.posts", postsTopic);
        s.put("topic.events", eventsTopic);
        s.put("topic.stats", statsTopic);
        s.put("topic.dead-letters", deadLetterTopic);
        s.put("topic.alerts", alertsTopic);
        s.put("job.parallelism", Integer.toString(parallelism));
        s.put("job.checkpoint-interval", TimeUtils.formatWithHighestUnit(checkpointInterval));
        s.put("job.buffer-timeout", TimeUtils.formatWithHighestUnit(bufferTimeout));
        s.put("job.restart-attempts", Integer.toString(restartAttempts));
        s.put("job.restart-delay", TimeUtils.formatWithHighestUnit(restartDelay));
        s.put("sink.transactional-id-prefix", transactionalIdPrefix);
        s.put("sink.transaction-timeout", TimeUtils.formatWithHighestUnit(transactionTimeout));
        s.put("watermark.out-of-orderness", TimeUtils.formatWithHighestUnit(outOfOrderness));
        s.put("watermark.idleness", TimeUtils.formatWithHighestUnit(idleness));
        s.put("event-time.max-future-skew", TimeUtils.formatWithHighestUnit(eventTime.maxFutureSkew()));
        s.put("event-time.max-past", TimeUtils.formatWithHighestUnit(eventTime.maxPast()));
        s.put("window.size", TimeUtils.formatWithHighestUnit(windowSize));
        s.put("window.allowed-lateness", TimeUtils.formatWithHighestUnit(allowedLateness));
        s.put("window.late-flush-interval", TimeUtils.formatWithHighestUnit(lateFlushInterval));
        s.put("window.example-ids", Integer.toString(exampleIds));
        s.put("alerts.ewma-alpha", Double.toString(alerts.ewmaAlpha()));
        s.put("alerts.warmup-windows", Integer.toString(alerts.warmupWindows()));
        s.put("alerts.min-window-total", Long.toString(alerts.minWindowTotal()));
        s.put("alerts.min-emotion-count", Long.toString(alerts.minEmotionCount()));
        s.put("alerts.min-lift", Double.toString(alerts.minLift()));
        s.put("alerts.z-low", Double.toString(alerts.zLow()));
        s.put("alerts.z-medium", Double.toString(alerts.zMedium()));
        s.put("alerts.z-high", Double.toString(alerts.zHigh()));
        s.put("alerts.recovery-z", Double.toString(alerts.recoveryZ()));
        s.put("alerts.cooldown-windows", Integer.toString(alerts.cooldownWindows()));
        s.put("alerts.idle-timeout", TimeUtils.formatWithHighestUnit(Duration.ofMillis(alerts.idleTimeoutMillis())));
        s.put("batch.max-size", Integer.toString(batchMaxSize));
        s.put("batch.max-tokens", Integer.toString(batchMaxTokens));
        s.put("batch.max-wait", TimeUtils.formatWithHighestUnit(batchMaxWait));
        s.put("batch.overhead-tokens", Integer.toString(batchOverheadTokens));
        s.put("classify.mode", classifyMode.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        s.put("async.capacity", Integer.toString(asyncCapacity));
        s.put("async.timeout", TimeUtils.formatWithHighestUnit(asyncTimeout));
        s.put("model.store", modelStore);
        s.put("model.name", modelName);
        s.put("model.version", modelVersion);
        s.put("topic.model-control", modelControlTopic);
        s.put("topic.model-status", modelStatusTopic);
        return s;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Settings with defaults filled in; each parse error names its key. */
    private record Values(Map<String, String> settings) {

        String str(String key) {
            String value = settings.get(key);
            return (value != null ? value : KEYS.get(key)[0]).trim();
        }

        int integer(String key) {
            try {
                return Integer.parseInt(str(key));
            } catch (NumberFormatException e) {
                throw bad(key, "an integer");
            }
        }

        long lng(String key) {
            try {
                return Long.parseLong(str(key));
            } catch (NumberFormatException e) {
                throw bad(key, "an integer");
            }
        }

        double dbl(String key) {
            try {
                double d = Double.parseDouble(str(key));
                if (Double.isFinite(d)) {
                    return d;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw bad(key, "a finite number such as 0.1");
        }

        boolean bool(String key) {
            String s = str(key).toLowerCase(java.util.Locale.ROOT);
            if (!s.equals("true") && !s.equals("false")) {
                throw bad(key, "true or false");
            }
            return Boolean.parseBoolean(s);
        }

        Duration duration(String key) {
            try {
                return TimeUtils.parseDuration(str(key));
            } catch (RuntimeException e) {
                throw bad(key, "a duration such as 500ms, 30s, 1min");
            }
        }

        EventTimePolicy eventTimePolicy() {
            Duration skew = duration("event-time.max-future-skew");
            Duration past = duration("event-time.max-past");
            try {
                past.toMillis();
            } catch (ArithmeticException e) {
                throw bad("event-time.max-past", "a duration of at most a few million years");
            }
            return new EventTimePolicy(skew, past);
        }

        <E extends Enum<E>> E enumValue(String key, Class<E> type) {
            try {
                return Enum.valueOf(type, str(key).toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw bad(key, "one of " + java.util.Arrays.toString(type.getEnumConstants())
                        .toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            }
        }

        private IllegalArgumentException bad(String key, String expected) {
            return new IllegalArgumentException(key + " = '" + str(key) + "' is not " + expected);
        }
    }
}
