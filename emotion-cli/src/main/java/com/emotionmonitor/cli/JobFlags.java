package com.emotionmonitor.cli;

import static com.emotionmonitor.job.EmotionJobOptions.*;

import com.emotionmonitor.job.EmotionJobOptions;
import com.emotionmonitor.job.JobConfig;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.BlockElement;
import org.apache.flink.configuration.description.TextElement;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The job's settings as CLI flags (a picocli mixin shared by {@code run} and {@code demo}). Precedence: command
 * defaults, then {@code --config FILE}, then the named flags, then {@code --set key=value}. Every option of
 * {@link EmotionJobOptions} can be given with {@code --set} or in the file; the named flags are shortcuts for some
 * of them, written to the same keys.
 */
public final class JobFlags {

    @Option(names = "--config", paramLabel = "FILE", description = "Job properties file (keys: see --list-settings).")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any job setting, e.g. --set window.size=30s (repeatable).")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(names = "--list-settings", description = "Print every job setting with its default and meaning, then exit.")
    boolean listSettings;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...", description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "Kafka client properties file for every client of the job (security.protocol, sasl.*, ssl.*,"
                    + " config.providers ...): each key K becomes the setting kafka.properties.K. Keeps secrets off the command line.")
    Path kafkaConfig;

    @Option(names = "--posts-topic", paramLabel = "TOPIC", description = "Input topic (Avro SocialPost).") String postsTopic;
    @Option(names = "--events-topic", paramLabel = "TOPIC", description = "Output topic of EmotionEvents.") String eventsTopic;
    @Option(names = "--stats-topic", paramLabel = "TOPIC", description = "Output topic of EmotionStats.") String statsTopic;
    @Option(names = "--dead-letter-topic", paramLabel = "TOPIC", description = "Output topic of DeadLetters.") String deadLetterTopic;
    @Option(names = "--alerts-topic", paramLabel = "TOPIC", description = "Output topic of EmotionAlerts.") String alertsTopic;
    @Option(names = "--group-id", paramLabel = "ID", description = "Consumer group of the posts source.") String groupId;

    @Option(names = {"-p", "--parallelism"}, paramLabel = "N", description = "Best: the posts topic's partition count.")
    Integer parallelism;
    @Option(names = "--checkpoint-interval", paramLabel = "DURATION", description = "e.g. 10s; output is committed per checkpoint.")
    String checkpointInterval;
    @Option(names = "--window", paramLabel = "DURATION", description = "Stats window size, e.g. 1min.") String window;
    @Option(names = "--allowed-lateness", paramLabel = "DURATION", description = "Late events within this re-fire their window.")
    String allowedLateness;
    @Option(names = "--alert-z", paramLabel = "Z", description = "Score that raises a (LOW) spike alert (alerts.z-low).")
    Double alertZ;
    @Option(names = "--alert-min-count", paramLabel = "N", description = "Posts of the emotion a window needs to alert (alerts.min-emotion-count).")
    Long alertMinCount;
    @Option(names = "--alert-min-window", paramLabel = "N", description = "Posts a window needs to be judged (alerts.min-window-total).")
    Long alertMinWindow;
    @Option(names = "--batch-size", paramLabel = "N", description = "Most posts per model batch.") Integer batchSize;
    @Option(names = "--batch-max-tokens", paramLabel = "N", description = "Most padded tokens per model batch.") Integer batchMaxTokens;
    @Option(names = "--batch-max-wait", paramLabel = "DURATION", description = "Longest wait for a batch to fill, e.g. 20ms.")
    String batchMaxWait;

    @Option(names = "--model-store", paramLabel = "DIR", description = "Model store root (default: <project>/model-store).")
    Path modelStore;
    @Option(names = "--model-name", paramLabel = "NAME", description = "Model to serve (default weibo-emotion).") String modelName;
    @Option(names = "--model-version", paramLabel = "VERSION", description = "Default: the newest published version.")
    String modelVersion;

    /** The settings after applying the file and the flags over {@code defaults}. */
    public JobConfig toConfig(Map<String, String> defaults) throws IOException {
        Map<String, String> s = new LinkedHashMap<>(defaults);
        if (configFile != null) {
            s.putAll(JobConfig.readProperties(ProjectPaths.requireFile(configFile, "job config")));
        }
        put(s, BOOTSTRAP_SERVERS, bootstrapServers);
        if (kafkaConfig != null) {
            JobConfig.readProperties(ProjectPaths.requireFile(kafkaConfig, "--kafka-config"))
                    .forEach((k, v) -> s.put(JobConfig.KAFKA_PROPERTIES_PREFIX + k, v));
        }
        put(s, GROUP_ID, groupId);
        put(s, POSTS_TOPIC, postsTopic);
        put(s, EVENTS_TOPIC, eventsTopic);
        put(s, STATS_TOPIC, statsTopic);
        put(s, DEAD_LETTER_TOPIC, deadLetterTopic);
        put(s, ALERTS_TOPIC, alertsTopic);
        put(s, PARALLELISM, parallelism);
        put(s, CHECKPOINT_INTERVAL, checkpointInterval);
        put(s, WINDOW_SIZE, window);
        put(s, ALLOWED_LATENESS, allowedLateness);
        put(s, ALERTS_Z_LOW, alertZ);
        put(s, ALERTS_MIN_EMOTION_COUNT, alertMinCount);
        put(s, ALERTS_MIN_WINDOW_TOTAL, alertMinWindow);
        put(s, BATCH_MAX_SIZE, batchSize);
        put(s, BATCH_MAX_TOKENS, batchMaxTokens);
        put(s, BATCH_MAX_WAIT, batchMaxWait);
        put(s, MODEL_STORE, modelStore == null ? null : modelStore.toAbsolutePath().toString());
        put(s, MODEL_NAME, modelName);
        put(s, MODEL_VERSION, modelVersion);
        s.putAll(set);
        return JobConfig.from(s);
    }

    /** {@code --list-settings}: one line per option of {@link EmotionJobOptions}: key, default, description. */
    public static String describeSettings() {
        StringBuilder b = new StringBuilder();
        for (ConfigOption<?> option : EmotionJobOptions.all()) {
            String value = JobConfig.format(option.defaultValue());
            b.append(String.format("  %-30s %-22s %s%n", option.key(), value.isEmpty() ? "(empty)" : value, text(option)));
        }
        return b.toString();
    }

    private static String text(ConfigOption<?> option) {
        StringBuilder b = new StringBuilder();
        for (BlockElement block : option.description().getBlocks()) {
            if (block instanceof TextElement t) {
                b.append(t.getFormat());
            }
        }
        return b.toString();
    }

    private static void put(Map<String, String> s, ConfigOption<?> option, Object value) {
        if (value != null) {
            s.put(option.key(), value.toString());
        }
    }
}
