package com.emotionmonitor.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * Extra Kafka client properties for the commands that talk to Kafka (security, timeouts): a picocli mixin. Secrets
 * belong in the {@code --kafka-config} file (mode 600), or in the environment or other files through Kafka's own
 * config providers, never on the command line:
 *
 * <pre>
 * security.protocol=SASL_SSL
 * sasl.mechanism=SCRAM-SHA-512
 * config.providers=env
 * config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider
 * sasl.jaas.config=${env:KAFKA_JAAS_CONFIG}
 * </pre>
 */
public final class KafkaClientFlags {

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "Kafka client properties file (security.protocol, sasl.*, ssl.*, config.providers ...), as Kafka's "
                    + "own tools take with --command-config.")
    Path kafkaConfig;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "One more Kafka client property (repeatable; overrides --kafka-config). Not for secrets.")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    /** The file's properties, then the flags: what every Kafka client of the command gets besides its own settings. */
    public Map<String, String> extraProperties() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        if (kafkaConfig != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(ProjectPaths.requireFile(kafkaConfig, "--kafka-config"), StandardCharsets.UTF_8)) {
                p.load(r);
            }
            p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k).trim()));
        }
        out.putAll(kafkaProperties);
        if (out.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException("give the brokers with --bootstrap-servers, not as a Kafka client property");
        }
        return out;
    }

    /** Client properties for {@code bootstrapServers}. */
    public Properties clientProperties(String bootstrapServers) throws IOException {
        Properties p = new Properties();
        p.putAll(extraProperties());
        p.put("bootstrap.servers", bootstrapServers);
        return p;
    }
}
