package com.emotionmonitor.job;

import static com.emotionmonitor.job.EmotionJobOptions.*;

import com.emotionmonitor.job.EmotionJobOptions.ClassifyMode;
import com.emotionmonitor.job.EmotionJobOptions.StartingOffsets;
import com.emotionmonitor.job.alerts.SpikeDetectorConfig;
import com.emotionmonitor.job.ops.ClassifySettings;
import com.emotionmonitor.job.time.EventTimePolicy;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.TimeUtils;

/**
 * The job's settings, validated and typed: a view over the options declared in {@link EmotionJobOptions} (this
 * class declares none itself). Built from {@code key=value} settings (a properties file, CLI flags) or from a Flink
 * {@link Configuration} (a cluster's {@code -D} / {@code flinkConfiguration}); every value is parsed and checked when
 * it is built, and each error names its key. Operators get only the settings they use ({@link #classify()},
 * {@link #eventTime()}, {@link #alerts()} ...), never this whole object.
 */
public final class JobConfig implements Serializable {

    private static final long serialVersionUID = 2L;
    private static final Set<String> KEYS = all().stream().map(ConfigOption::key).collect(Collectors.toUnmodifiableSet());

    private final Configuration conf;

    private JobConfig(Configuration conf) {
        this.conf = conf;
        validate();
    }

    /** All defaults. */
    public static JobConfig defaults() {
        return from(Map.of());
    }

    /**
     * Kafka client properties passed through to the posts source, every sink, the admin client and the CLI's Kafka
     * tools, as Flink's Kafka SQL connector passes {@code properties.*}: {@code kafka.properties.security.protocol=SASL_SSL}
     * becomes {@code security.protocol=SASL_SSL}. Keep secrets out of the command line: put them in a {@code --config}
     * file, or let Kafka resolve them from a file or the environment with its config providers
     * ({@code kafka.properties.config.providers=env}, {@code ...config.providers.env.class=
     * org.apache.kafka.common.config.provider.EnvVarConfigProvider}, {@code ...sasl.jaas.config=${env:KAFKA_JAAS}}).
     */
    public static final String KAFKA_PROPERTIES_PREFIX = "kafka.properties.";

    /** Defaults, overridden by {@code settings}; unknown keys and unparsable values are errors naming the key. */
    public static JobConfig from(Map<String, String> settings) {
        Set<String> unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(KEYS);
        unknown.removeIf(k -> k.startsWith(KAFKA_PROPERTIES_PREFIX) && k.length() > KAFKA_PROPERTIES_PREFIX.length());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown job setting(s) " + unknown + "; known: " + new TreeSet<>(KEYS));
        }
        Map<String, String> trimmed = new LinkedHashMap<>();
        settings.forEach((k, v) -> trimmed.put(k, v == null ? "" : v.trim()));
        return new JobConfig(Configuration.fromMap(trimmed));
    }

    /** The job's settings found in a Flink configuration (a cluster's); its other keys are Flink's own and left out. */
    public static Map<String, String> fromFlinkKeys(Configuration flink) {
        Map<String, String> ours = new LinkedHashMap<>();
        flink.toMap().forEach((k, v) -> {
            if (KEYS.contains(k) || k.startsWith(KAFKA_PROPERTIES_PREFIX)) {
                ours.put(k, v);
            }
        });
        return ours;
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

    /** This config with some settings replaced. */
    public JobConfig with(Map<String, String> overrides) {
        Map<String, String> all = new LinkedHashMap<>(conf.toMap());
        all.putAll(overrides);
        return from(all);
    }

    /** Every setting with its effective value (defaults included), in declaration order: reproduces this config. */
    public Map<String, String> toSettings() {
        Map<String, String> s = new LinkedHashMap<>();
        for (ConfigOption<?> option : all()) {
            s.put(option.key(), format(get(option)));
        }
        kafkaProperties().forEach((k, v) -> s.put(KAFKA_PROPERTIES_PREFIX + k, v));
        return s;
    }

    /** The {@code kafka.properties.*} settings without the prefix (sorted): extra properties of every Kafka client. */
    public Map<String, String> kafkaProperties() {
        Map<String, String> out = new java.util.TreeMap<>();
        conf.toMap().forEach((k, v) -> {
            if (k.startsWith(KAFKA_PROPERTIES_PREFIX)) {
                out.put(k.substring(KAFKA_PROPERTIES_PREFIX.length()), v);
            }
        });
        return out;
    }

    /**
     * The properties of a Kafka client of this job: the bootstrap servers and the {@code kafka.properties.*}
     * pass-through (security, timeouts ...). Job-owned settings that the connectors set themselves (isolation level,
     * transactional ids) are applied on top by {@link KafkaConnectors}.
     */
    public java.util.Properties kafkaClientProperties() {
        java.util.Properties p = new java.util.Properties();
        p.putAll(kafkaProperties());
        p.put("bootstrap.servers", bootstrapServers());
        return p;
    }

    /** A setting's value as the settings spell it (durations in Flink's syntax, enums by their setting name). */
    public static String format(Object value) {
        return value instanceof Duration d ? TimeUtils.formatWithHighestUnit(d) : String.valueOf(value);
    }

    /** The typed value of one option; a value that does not parse is an error naming the key. */
    public <T> T get(ConfigOption<T> option) {
        try {
            T value = conf.get(option);
            if (value instanceof Double d && !Double.isFinite(d)) {
                throw new IllegalArgumentException(option.key() + " = '" + d + "' is not a finite number such as 0.1");
            }
            return value;
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(option.key() + " = ")) {
                throw e;
            }
            String raw = conf.toMap().get(option.key());
            Class<?> type = option.defaultValue() == null ? null : option.defaultValue().getClass();
            String expected = type != null && type.isEnum()
                    ? "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf).toList()
                    : type == Duration.class ? "a duration such as 500ms, 30s, 1min"
                    : type == Boolean.class ? "true or false"
                    : type == Integer.class || type == Long.class ? "an integer"
                    : type == Double.class ? "a number such as 0.1" : "valid";
            throw new IllegalArgumentException(option.key() + " = '" + raw + "' is not " + expected, e);
        }
    }

    // --- typed accessors, one per option (the names the job and the CLI use) ---

    public String bootstrapServers() { return get(BOOTSTRAP_SERVERS); }
    public String groupId() { return get(GROUP_ID); }
    public StartingOffsets startingOffsets() { return get(STARTING_OFFSETS); }
    public boolean bounded() { return get(BOUNDED); }
    public String postsTopic() { return get(POSTS_TOPIC); }
    public String eventsTopic() { return get(EVENTS_TOPIC); }
    public String statsTopic() { return get(STATS_TOPIC); }
    public String deadLetterTopic() { return get(DEAD_LETTER_TOPIC); }
    public String alertsTopic() { return get(ALERTS_TOPIC); }
    public int parallelism() { return get(PARALLELISM); }
    public Duration checkpointInterval() { return get(CHECKPOINT_INTERVAL); }
    public Duration bufferTimeout() { return get(BUFFER_TIMEOUT); }
    public int restartAttempts() { return get(RESTART_ATTEMPTS); }
    public Duration restartDelay() { return get(RESTART_DELAY); }
    public String transactionalIdPrefix() { return get(TRANSACTIONAL_ID_PREFIX); }
    public Duration transactionTimeout() { return get(TRANSACTION_TIMEOUT); }
    public Duration outOfOrderness() { return get(OUT_OF_ORDERNESS); }
    public Duration idleness() { return get(IDLENESS); }
    public Duration windowSize() { return get(WINDOW_SIZE); }
    public Duration allowedLateness() { return get(ALLOWED_LATENESS); }
    public Duration lateFlushInterval() { return get(LATE_FLUSH_INTERVAL); }
    public int exampleIds() { return get(EXAMPLE_IDS); }
    public int batchMaxSize() { return get(BATCH_MAX_SIZE); }
    public int batchMaxTokens() { return get(BATCH_MAX_TOKENS); }
    public Duration batchMaxWait() { return get(BATCH_MAX_WAIT); }
    public int batchOverheadTokens() { return get(BATCH_OVERHEAD_TOKENS); }
    public ClassifyMode classifyMode() { return get(CLASSIFY_MODE); }
    public int asyncCapacity() { return get(ASYNC_CAPACITY); }
    public Duration asyncTimeout() { return get(ASYNC_TIMEOUT); }
    public String modelStore() { return get(MODEL_STORE); }
    public String modelName() { return get(MODEL_NAME); }
    public String modelVersion() { return get(MODEL_VERSION); }
    public String modelControlTopic() { return get(MODEL_CONTROL_TOPIC); }
    public String modelStatusTopic() { return get(MODEL_STATUS_TOPIC); }
    public String comparisonsTopic() { return get(COMPARISONS_TOPIC); }
    public String driftAlertsTopic() { return get(DRIFT_ALERTS_TOPIC); }

    // --- the settings of one operator each ---

    /** What model versions the job may serve (roots, pinned sha256, signature). */
    public com.emotionmonitor.job.model.ModelTrust modelTrust() {
        List<Path> roots = Arrays.stream(get(MODEL_ALLOWED_ROOTS).split(",")).map(String::trim).filter(r -> !r.isEmpty())
                .map(Path::of).toList();
        String key = get(MODEL_TRUSTED_KEY).trim();
        return com.emotionmonitor.job.model.ModelTrust.of(Path.of(modelStore()), roots, get(MODEL_REQUIRE_SHA256),
                key.isEmpty() ? null : Path.of(key));
    }

    /** The event-time policy of the posts deserializer and the watermarks. */
    public EventTimePolicy eventTime() {
        return new EventTimePolicy(get(MAX_FUTURE_SKEW), get(MAX_PAST));
    }

    /** The spike detector's thresholds. */
    public SpikeDetectorConfig alerts() {
        return new SpikeDetectorConfig(get(ALERTS_EWMA_ALPHA), get(ALERTS_WARMUP_WINDOWS), get(ALERTS_MIN_WINDOW_TOTAL),
                get(ALERTS_MIN_EMOTION_COUNT), get(ALERTS_MIN_LIFT), get(ALERTS_Z_LOW), get(ALERTS_Z_MEDIUM), get(ALERTS_Z_HIGH),
                get(ALERTS_RECOVERY_Z), get(ALERTS_COOLDOWN_WINDOWS), get(ALERTS_IDLE_TIMEOUT).toMillis());
    }

    /** The drift alerts' thresholds. */
    public com.emotionmonitor.job.alerts.DriftDetectorConfig drift() {
        return new com.emotionmonitor.job.alerts.DriftDetectorConfig(get(ALERTS_DRIFT_THRESHOLD), get(ALERTS_DRIFT_WINDOWS),
                get(ALERTS_DRIFT_SCOPES) == EmotionJobOptions.DriftScopes.ALL, get(ALERTS_DRIFT_MIN_WINDOW_TOTAL));
    }

    /** The micro-batched classifier's settings. */
    public ClassifySettings classify() {
        return new ClassifySettings(batchMaxSize(), batchMaxTokens(), batchMaxWait(), batchOverheadTokens(), asyncCapacity(),
                asyncTimeout());
    }

    private void validate() {
        all().forEach(this::get); // every value parses, or the error names its key
        require(!bootstrapServers().isBlank(), "kafka.bootstrap-servers is empty");
        require(!kafkaProperties().containsKey("bootstrap.servers"),
                "set the brokers with kafka.bootstrap-servers, not kafka.properties.bootstrap.servers");
        require(parallelism() >= 1, "job.parallelism must be >= 1, got " + parallelism());
        require(!bufferTimeout().isNegative(), "job.buffer-timeout must not be negative");
        require(!checkpointInterval().isNegative() && !checkpointInterval().isZero(), "job.checkpoint-interval must be positive");
        require(transactionTimeout().compareTo(checkpointInterval()) > 0, "sink.transaction-timeout (" + transactionTimeout()
                + ") must exceed job.checkpoint-interval (" + checkpointInterval() + ")");
        require(restartAttempts() >= 0, "job.restart-attempts must be >= 0");
        require(windowSize().toMillis() > 0, "window.size must be positive");
        require(!allowedLateness().isNegative(), "window.allowed-lateness must not be negative");
        require(lateFlushInterval().toMillis() > 0, "window.late-flush-interval must be positive");
        require(exampleIds() >= 0 && exampleIds() <= 100, "window.example-ids must be in [0, 100], got " + exampleIds());
        try {
            get(MAX_PAST).toMillis();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("event-time.max-past = '" + get(MAX_PAST) + "' is too long");
        }
        eventTime(); // validates itself
        SpikeDetectorConfig alerts = alerts(); // validates itself
        require(alerts.idleTimeoutMillis() > windowSize().toMillis(), "alerts.idle-timeout ("
                + Duration.ofMillis(alerts.idleTimeoutMillis()) + ") must exceed window.size (" + windowSize() + ")");
        require(!outOfOrderness().isNegative(), "watermark.out-of-orderness must not be negative");
        require(idleness().toMillis() > 0, "watermark.idleness must be positive");
        require(batchMaxSize() >= 1, "batch.max-size must be >= 1");
        require(batchMaxTokens() >= 1, "batch.max-tokens must be >= 1");
        require(!batchMaxWait().isNegative(), "batch.max-wait must not be negative");
        require(batchOverheadTokens() >= 0, "batch.overhead-tokens must be >= 0");
        require(asyncCapacity() >= 1, "async.capacity must be >= 1");
        require(asyncTimeout().toMillis() > 0, "async.timeout must be positive");
        require(!transactionalIdPrefix().isBlank(), "sink.transactional-id-prefix is empty");
        List<String> data = List.of(postsTopic(), eventsTopic(), statsTopic(), deadLetterTopic(), alertsTopic(),
                driftAlertsTopic(), comparisonsTopic());
        require(new HashSet<>(data).size() == data.size(), "topics must be " + data.size() + " different names: "
                + String.join(", ", data));
        drift(); // validates itself
        require(!modelName().isBlank(), "model.name is empty");
        require(!modelControlTopic().isBlank() && !modelStatusTopic().isBlank() && !modelControlTopic().equals(modelStatusTopic())
                        && !data.contains(modelControlTopic()) && !data.contains(modelStatusTopic()),
                "topic.model-control (" + modelControlTopic() + ") and topic.model-status (" + modelStatusTopic()
                        + ") must be two more topics, different from each other and from the data topics");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JobConfig c && c.toSettings().equals(toSettings());
    }

    @Override
    public int hashCode() {
        return toSettings().hashCode();
    }

    @Override
    public String toString() {
        return "JobConfig" + toSettings();
    }
}
