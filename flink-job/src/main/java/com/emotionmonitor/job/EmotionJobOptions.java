package com.emotionmonitor.job;

import static org.apache.flink.configuration.ConfigOptions.key;

import com.emotionmonitor.job.alerts.SpikeDetectorConfig;
import com.emotionmonitor.serving.BatchLimits;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * Every setting of the job, declared once as a Flink {@link ConfigOption} (key, type, default, description), as
 * Flink's own connectors declare theirs ({@code KafkaSourceOptions}). Everything that sets the job up reads these
 * declarations: {@link JobConfig} (the validated, typed view the graph is built from), {@code --list-settings}, the
 * CLI flags and {@code --set}, a {@code --config} properties file, and on a cluster {@code -Dkey=value} or a
 * FlinkDeployment's {@code flinkConfiguration}. Durations take Flink's syntax ({@code 500ms}, {@code 30s},
 * {@code 1min}, {@code 2h}, {@code 3650d}).
 */
public final class EmotionJobOptions {

    private EmotionJobOptions() {}

    /** How posts reach the model. */
    public enum ClassifyMode {
        /** The TaskManager's shared micro-batcher behind Flink's async operator (the product). */
        BATCHED("batched"),
        /** One forward pass per post in a map on the task thread: the baseline the bench compares against. */
        PER_RECORD("per-record");

        private final String text;

        ClassifyMode(String text) {
            this.text = text;
        }

        /** The setting's spelling; Flink parses enum options by it (case-insensitively). */
        @Override
        public String toString() {
            return text;
        }
    }

    /** Where the posts source starts when the consumer group has no committed offsets yet, or always. */
    public enum StartingOffsets {
        /** Resume from the group's committed offsets; the earliest offset if there are none. */
        COMMITTED,
        EARLIEST,
        LATEST;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Which scopes drift alerts judge. */
    public enum DriftScopes {
        GLOBAL,
        ALL;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final SpikeDetectorConfig ALERTS = SpikeDetectorConfig.defaults();
    private static final com.emotionmonitor.job.alerts.DriftDetectorConfig DRIFT =
            com.emotionmonitor.job.alerts.DriftDetectorConfig.defaults();

    // Kafka and topics
    public static final ConfigOption<String> BOOTSTRAP_SERVERS = key("kafka.bootstrap-servers").stringType()
            .defaultValue("127.0.0.1:9092").withDescription("Kafka bootstrap servers");
    public static final ConfigOption<String> GROUP_ID = key("kafka.group-id").stringType()
            .defaultValue("emotion-monitor").withDescription("consumer group of the posts source");
    public static final ConfigOption<StartingOffsets> STARTING_OFFSETS = key("kafka.starting-offsets")
            .enumType(StartingOffsets.class).defaultValue(StartingOffsets.COMMITTED)
            .withDescription("committed | earliest | latest");
    public static final ConfigOption<Boolean> BOUNDED = key("kafka.bounded").booleanType().defaultValue(false)
            .withDescription("stop at the posts topic's end offsets taken at start (backfill)");
    public static final ConfigOption<String> POSTS_TOPIC = key("topic.posts").stringType().defaultValue("social-posts")
            .withDescription("input topic of Avro SocialPost");
    public static final ConfigOption<String> EVENTS_TOPIC = key("topic.events").stringType().defaultValue("emotion-events")
            .withDescription("output topic of Avro EmotionEvent (key: post id)");
    public static final ConfigOption<String> STATS_TOPIC = key("topic.stats").stringType().defaultValue("emotion-stats")
            .withDescription("output topic of Avro EmotionStats (key: scope)");
    public static final ConfigOption<String> DEAD_LETTER_TOPIC = key("topic.dead-letters").stringType()
            .defaultValue("emotion-dead-letters").withDescription("output topic of Avro DeadLetter");
    public static final ConfigOption<String> ALERTS_TOPIC = key("topic.alerts").stringType().defaultValue("emotion-alerts")
            .withDescription("output topic of Avro EmotionAlert (key: scope)");

    // The job
    public static final ConfigOption<Integer> PARALLELISM = key("job.parallelism").intType().defaultValue(1)
            .withDescription("parallelism of every operator");
    public static final ConfigOption<Duration> BUFFER_TIMEOUT = key("job.buffer-timeout").durationType()
            .defaultValue(Duration.ofMillis(5)).withDescription("longest a record waits in a network buffer between"
                    + " operators (Flink's default 100ms would add up to 100 ms to every post's latency at moderate load)");
    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = key("job.checkpoint-interval").durationType()
            .defaultValue(Duration.ofSeconds(10)).withDescription("checkpoint interval; Kafka transactions commit on checkpoints");
    public static final ConfigOption<Integer> RESTART_ATTEMPTS = key("job.restart-attempts").intType().defaultValue(3)
            .withDescription("fixed-delay restart attempts before the job fails");
    public static final ConfigOption<Duration> RESTART_DELAY = key("job.restart-delay").durationType()
            .defaultValue(Duration.ofSeconds(2)).withDescription("delay between restart attempts");
    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX = key("sink.transactional-id-prefix").stringType()
            .defaultValue("emotion-monitor").withDescription("prefix of the sinks' Kafka transactional ids (unique per job)");
    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT = key("sink.transaction-timeout").durationType()
            .defaultValue(Duration.ofMinutes(10)).withDescription("Kafka transaction timeout; must stay below the"
                    + " broker's transaction.max.timeout.ms (15min by default)");

    // Event time, windows
    public static final ConfigOption<Duration> OUT_OF_ORDERNESS = key("watermark.out-of-orderness").durationType()
            .defaultValue(Duration.ofSeconds(5)).withDescription("bounded out-of-orderness of created_at");
    public static final ConfigOption<Duration> IDLENESS = key("watermark.idleness").durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("a partition without posts this long stops holding back the watermark");
    public static final ConfigOption<Duration> MAX_FUTURE_SKEW = key("event-time.max-future-skew").durationType()
            .defaultValue(Duration.ofSeconds(5)).withDescription("a created_at further ahead of the job's clock is replaced"
                    + " (by the record's Kafka timestamp, or the time the post is read) and the event flagged; bounds how far the"
                    + " watermark and any written timestamp can lead the clock. Keep it well below the broker's"
                    + " message.timestamp.after.max.ms (1h by default)");
    public static final ConfigOption<Duration> MAX_PAST = key("event-time.max-past").durationType()
            .defaultValue(Duration.ofDays(3650)).withDescription("a created_at further behind the job's clock is replaced the"
                    + " same way (a floor against absurd dates such as 1970)");
    public static final ConfigOption<Duration> WINDOW_SIZE = key("window.size").durationType()
            .defaultValue(Duration.ofMinutes(1)).withDescription("tumbling event-time window of the statistics");
    public static final ConfigOption<Duration> ALLOWED_LATENESS = key("window.allowed-lateness").durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("late events within this re-fire their window; later ones become LATE stats");
    public static final ConfigOption<Duration> LATE_FLUSH_INTERVAL = key("window.late-flush-interval").durationType()
            .defaultValue(Duration.ofSeconds(10)).withDescription("events later than the allowed lateness are gathered per"
                    + " scope and window and written as one LATE stats record this long (processing time) after the first of them");
    public static final ConfigOption<Integer> EXAMPLE_IDS = key("window.example-ids").intType().defaultValue(3)
            .withDescription("post ids kept per emotion in each stats window (most confident first); alerts show them");

    // Spike alerts (defaults: SpikeDetectorConfig.defaults())
    public static final ConfigOption<Double> ALERTS_EWMA_ALPHA = key("alerts.ewma-alpha").doubleType()
            .defaultValue(ALERTS.ewmaAlpha()).withDescription("weight of the newest window in each scope's baseline (EWMA"
                    + " mean and variance of each emotion's share), in (0, 1]");
    public static final ConfigOption<Integer> ALERTS_WARMUP_WINDOWS = key("alerts.warmup-windows").intType()
            .defaultValue(ALERTS.warmupWindows()).withDescription("windows a scope must have had before it may alert");
    public static final ConfigOption<Long> ALERTS_MIN_WINDOW_TOTAL = key("alerts.min-window-total").longType()
            .defaultValue(ALERTS.minWindowTotal())
            .withDescription("posts a window needs to be judged or learned from (smaller windows never alert)");
    public static final ConfigOption<Long> ALERTS_MIN_EMOTION_COUNT = key("alerts.min-emotion-count").longType()
            .defaultValue(ALERTS.minEmotionCount()).withDescription("posts of the spiking emotion a window needs to alert");
    public static final ConfigOption<Double> ALERTS_MIN_LIFT = key("alerts.min-lift").doubleType()
            .defaultValue(ALERTS.minLift()).withDescription("observed share minus baseline share, at least (0.10 = ten points)");
    public static final ConfigOption<Double> ALERTS_Z_LOW = key("alerts.z-low").doubleType().defaultValue(ALERTS.zLow())
            .withDescription("score (z) that raises a LOW alert");
    public static final ConfigOption<Double> ALERTS_Z_MEDIUM = key("alerts.z-medium").doubleType()
            .defaultValue(ALERTS.zMedium()).withDescription("score for MEDIUM severity");
    public static final ConfigOption<Double> ALERTS_Z_HIGH = key("alerts.z-high").doubleType().defaultValue(ALERTS.zHigh())
            .withDescription("score for HIGH severity");
    public static final ConfigOption<Double> ALERTS_RECOVERY_Z = key("alerts.recovery-z").doubleType()
            .defaultValue(ALERTS.recoveryZ()).withDescription("an episode ends (RECOVERY) when the score falls below this");
    public static final ConfigOption<Integer> ALERTS_COOLDOWN_WINDOWS = key("alerts.cooldown-windows").intType()
            .defaultValue(ALERTS.cooldownWindows())
            .withDescription("after a recovery, windows during which the same emotion cannot alert again");
    public static final ConfigOption<Duration> ALERTS_IDLE_TIMEOUT = key("alerts.idle-timeout").durationType()
            .defaultValue(Duration.ofMillis(ALERTS.idleTimeoutMillis())).withDescription("event time without a window after"
                    + " which a scope's baseline is dropped (must exceed window.size)");

    // Drift alerts (defaults: DriftDetectorConfig.defaults())
    public static final ConfigOption<Double> ALERTS_DRIFT_THRESHOLD = key("alerts.drift-threshold").doubleType()
            .defaultValue(DRIFT.threshold()).withDescription("Jensen-Shannon divergence (bits, in (0, 1]) of a window's label"
                    + " mix from the serving models' reference (their training mix, EmotionStats.drift) that counts as drifted");
    public static final ConfigOption<Integer> ALERTS_DRIFT_WINDOWS = key("alerts.drift-windows").intType()
            .defaultValue(DRIFT.windows()).withDescription("judged windows in a row at or above alerts.drift-threshold that"
                    + " raise a DRIFT alert (and below it that end the episode); 0 = no drift alerts");
    public static final ConfigOption<Long> ALERTS_DRIFT_MIN_WINDOW_TOTAL = key("alerts.drift-min-window-total").longType()
            .defaultValue(DRIFT.minWindowTotal()).withDescription("posts a window needs for its drift to be judged (at 30"
                    + " posts sampling noise alone scores 0.05 on average)");
    public static final ConfigOption<DriftScopes> ALERTS_DRIFT_SCOPES = key("alerts.drift-scopes").enumType(DriftScopes.class)
            .defaultValue(DriftScopes.GLOBAL).withDescription("global (only the global scope: a topic's mix differs from the"
                    + " training mix by nature) or all");
    public static final ConfigOption<String> DRIFT_ALERTS_TOPIC = key("topic.drift-alerts").stringType()
            .defaultValue("emotion-drift-alerts").withDescription("output topic of Avro DriftAlert (key: scope)");
    public static final ConfigOption<String> COMPARISONS_TOPIC = key("topic.model-comparisons").stringType()
            .defaultValue("model-comparisons").withDescription("output topic of Avro ModelComparison: a shadow version's"
                    + " labels against the serving version's, per scope and window (key: scope)");

    // Classification
    public static final ConfigOption<Integer> BATCH_MAX_SIZE = key("batch.max-size").intType().defaultValue(64)
            .withDescription("most posts in one model batch");
    public static final ConfigOption<Integer> BATCH_MAX_TOKENS = key("batch.max-tokens").intType().defaultValue(2048)
            .withDescription("most padded tokens (batch size x longest post) in one model batch");
    public static final ConfigOption<Duration> BATCH_MAX_WAIT = key("batch.max-wait").durationType()
            .defaultValue(Duration.ofMillis(10)).withDescription("longest a post waits for its batch to fill");
    public static final ConfigOption<Integer> BATCH_OVERHEAD_TOKENS = key("batch.overhead-tokens").intType()
            .defaultValue(BatchLimits.CPU_OVERHEAD_TOKENS).withDescription("cost of one forward pass in padded tokens:"
                    + " pending posts are split into the length groups that minimise passes x this + padded tokens"
                    + " (CPU: ~50; GPU: hundreds)");
    public static final ConfigOption<ClassifyMode> CLASSIFY_MODE = key("classify.mode").enumType(ClassifyMode.class)
            .defaultValue(ClassifyMode.BATCHED).withDescription("batched (shared micro-batcher, async) or per-record (one"
                    + " forward pass per post in a map: the baseline of bin/emotion bench pipeline)");
    public static final ConfigOption<Integer> ASYNC_CAPACITY = key("async.capacity").intType().defaultValue(1024)
            .withDescription("posts in flight per classify subtask: the pool the batcher groups by length");
    public static final ConfigOption<Duration> ASYNC_TIMEOUT = key("async.timeout").durationType()
            .defaultValue(Duration.ofSeconds(60)).withDescription("a post not labelled within this goes to the dead-letter topic");

    // The model
    public static final ConfigOption<String> MODEL_STORE = key("model.store").stringType().defaultValue("model-store")
            .withDescription("model store root: <store>/<name>/<version>/");
    public static final ConfigOption<String> MODEL_NAME = key("model.name").stringType().defaultValue("weibo-emotion")
            .withDescription("model to serve");
    public static final ConfigOption<String> MODEL_VERSION = key("model.version").stringType().defaultValue("")
            .withDescription("version to serve; empty = the newest published version, resolved once at job start");
    public static final ConfigOption<String> MODEL_CONTROL_TOPIC = key("topic.model-control").stringType()
            .defaultValue("model-control").withDescription("input topic of Avro ModelCommand (ACTIVATE / ROLLBACK, and the"
                    + " rollout steps SHADOW / CANARY / STOP / PROMOTE), broadcast to every subtask; read from the job's start time");
    public static final ConfigOption<String> MODEL_STATUS_TOPIC = key("topic.model-status").stringType()
            .defaultValue("model-status").withDescription("output topic of Avro ModelStatus: each subtask's accepted, active"
                    + " and refused model versions (key: model name)");

    public static final ConfigOption<String> MODEL_ALLOWED_ROOTS = key("model.allowed-roots").stringType().defaultValue("")
            .withDescription("more directories (comma-separated) that model commands may name; model.store is always one."
                    + " A command naming a version elsewhere (after following links) is refused");
    public static final ConfigOption<Boolean> MODEL_REQUIRE_SHA256 = key("model.require-sha256").booleanType().defaultValue(true)
            .withDescription("refuse a model command that does not pin the sha256 of the version's manifest.json"
                    + " (bin/emotion model activate always sends it)");
    public static final ConfigOption<String> MODEL_TRUSTED_KEY = key("model.trusted-key").stringType().defaultValue("")
            .withDescription("an Ed25519 public key (PEM file): serve only versions whose manifest.json.sig verifies with it"
                    + " (bin/emotion model sign); empty = signatures not required");

    private static final List<ConfigOption<?>> ALL = declared();

    /** Every option, in the order of this class (the order of {@code --list-settings}). */
    public static List<ConfigOption<?>> all() {
        return ALL;
    }

    private static List<ConfigOption<?>> declared() {
        List<ConfigOption<?>> out = new ArrayList<>();
        for (Field f : EmotionJobOptions.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigOption.class) {
                try {
                    out.add((ConfigOption<?>) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Collections.unmodifiableList(out);
    }
}
