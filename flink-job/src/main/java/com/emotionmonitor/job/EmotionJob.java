package com.emotionmonitor.job;

import com.emotionmonitor.job.io.AvroLimits;
import com.emotionmonitor.job.model.StoreModelSource;
import com.emotionmonitor.model.OfflineDefaults;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job against an existing Kafka: {@code main} for {@code flink run -c com.emotionmonitor.job.EmotionJob} (or a
 * FlinkDeployment's job spec) and the code behind {@code bin/emotion run}. Settings (keys of
 * {@link EmotionJobOptions}), later ones winning: the cluster's Flink configuration ({@code -Dwindow.size=30s},
 * {@code flinkConfiguration}), then {@code --config job.properties}, then {@code key=value} arguments.
 */
public final class EmotionJob {

    private EmotionJob() {}

    public static void main(String[] args) throws Exception {
        OfflineDefaults.apply();
        AvroLimits.apply();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Map<String, String> settings = new LinkedHashMap<>();
        if (env.getConfiguration() instanceof org.apache.flink.configuration.Configuration flink) {
            settings.putAll(JobConfig.fromFlinkKeys(flink));
        }
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                settings.putAll(JobConfig.readProperties(Path.of(args[++i])));
            } else if (args[i].contains("=")) {
                String[] kv = args[i].split("=", 2);
                settings.put(kv[0].trim(), kv[1].trim());
            } else {
                throw new IllegalArgumentException("unexpected argument '" + args[i] + "': use --config FILE or key=value");
            }
        }
        JobConfig config = JobConfig.from(settings);
        submit(env, config).getJobExecutionResult().get();
    }

    /** Builds the Kafka-to-Kafka graph on {@code env} and starts it. */
    public static JobClient submit(StreamExecutionEnvironment env, JobConfig config) throws Exception {
        StoreModelSource model = StoreModelSource.resolve(Path.of(config.modelStore()), config.modelName(), config.modelVersion())
                .withTrust(config.modelTrust());
        EmotionPipeline.configure(env, config);
        EmotionPipeline.build(env, config, KafkaConnectors.postsSource(config), model, KafkaConnectors.sinks(config));
        return env.executeAsync("emotion-monitor " + model.modelName() + "/" + model.modelVersion());
    }
}
