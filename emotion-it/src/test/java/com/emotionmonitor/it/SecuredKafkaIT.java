package com.emotionmonitor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.cli.EmotionCli;
import com.emotionmonitor.embedded.EmbeddedKafka;
import com.emotionmonitor.job.EmotionPipeline;
import com.emotionmonitor.job.JobConfig;
import com.emotionmonitor.job.KafkaConnectors;
import com.emotionmonitor.job.model.StoreModelSource;
import com.emotionmonitor.schema.SocialPost;
import com.emotionmonitor.testkit.MiniClusters;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job against a broker that requires TLS and SASL/SCRAM (a {@code SASL_SSL} listener with a certificate made for
 * the test, as managed Kafka services have), configured only through {@code kafka.properties.*}, with the secret
 * read by Kafka's own FileConfigProvider from a file (never on a command line): exactly-once holds, read back with
 * read_committed. Wrong credentials give a clear error within seconds, from the CLI and from the job; so does a
 * client that does not trust the broker's certificate.
 */
class SecuredKafkaIT {

    private static final int N = 120;
    private static final String USER = "emotion-job";
    private static final String PASSWORD = "s3cret-for-the-test";

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.loopback(2);

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = EmbeddedKafka.startWithScram(USER, PASSWORD);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void theJobRunsExactlyOnceOverTlsAndSaslScramWithTheSecretFromAFile(@TempDir Path dir) throws Exception {
        StoreModelSource model = PipelineFixture.tinyModel(dir.resolve("store"));
        JobConfig plain = PipelineFixture.config(kafka.bootstrapServers(), "secured", model, true);
        PipelineFixture.createTopics(kafka.bootstrapServers(), plain);
        List<SocialPost> posts = PipelineFixture.posts(N);
        PipelineFixture.produce(kafka.bootstrapServers(), plain.postsTopic(), posts, List.of());

        JobConfig secured = plain.with(secureSettings(dir, PASSWORD));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        EmotionPipeline.configure(env, secured);
        EmotionPipeline.build(env, secured, KafkaConnectors.postsSource(secured), model, KafkaConnectors.sinks(secured));
        env.execute("secured Kafka IT");

        PipelineFixture.Output out = PipelineFixture.readCommitted(kafka.bootstrapServers(), plain);
        List<String> ids = new ArrayList<>(out.eventIds());
        ids.sort(null);
        assertEquals(posts.stream().map(SocialPost::getId).sorted().toList(), ids, "every post once, over TLS + SASL");
        assertEquals(N, out.globalStatsTotal(), out::describeGlobalStats);
    }

    @Test
    void wrongCredentialsGiveAClearErrorNotAHang(@TempDir Path dir) throws Exception {
        // A plain client: the broker's answer, within seconds.
        Properties wrong = kafka.scramClientProperties(USER, "not-the-password");
        long started = System.nanoTime();
        try (Admin admin = Admin.create(wrong)) {
            Exception e = assertThrows(Exception.class, () -> admin.listTopics().names().get(60, TimeUnit.SECONDS));
            assertTrue(rootCause(e) instanceof SaslAuthenticationException, () -> "got " + e);
        }
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(60));

        // A client with the right password that does not trust the broker's certificate: a TLS handshake failure.
        Properties untrusted = kafka.scramClientProperties(USER, PASSWORD);
        untrusted.keySet().removeIf(k -> k.toString().startsWith("ssl.truststore."));
        try (Admin admin = Admin.create(untrusted)) {
            Exception e = assertThrows(Exception.class, () -> admin.listTopics().names().get(60, TimeUnit.SECONDS));
            assertTrue(causes(e).stream().anyMatch(t -> t instanceof org.apache.kafka.common.errors.SslAuthenticationException),
                    () -> "got " + e);
        }

        // The CLI: one line saying Kafka refused the client, exit code 1.
        Path clientConfig = dir.resolve("wrong.properties");
        StringBuilder props = new StringBuilder();
        kafka.scramSettings(USER, "not-the-password").forEach((k, v) -> props.append(k).append('=').append(v).append('\n'));
        Files.writeString(clientConfig, props.toString());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        int exit;
        started = System.nanoTime();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = EmotionCli.commandLine().execute("model", "list", "--bootstrap-servers", kafka.saslBootstrapServers(),
                    "--kafka-config", clientConfig.toString(), "--model-store", dir.toString());
        } finally {
            System.setErr(stderr);
        }
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, exit, message);
        assertTrue(message.contains("Kafka refused the client") && message.contains("SaslAuthenticationException"), message);
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(60), "answered within a minute");

        // The job: fails with the reason instead of retrying for ever.
        StoreModelSource model = PipelineFixture.tinyModel(dir.resolve("store"));
        JobConfig bad = PipelineFixture.config(kafka.saslBootstrapServers(), "secured-wrong", model, true)
                .with(secureSettings(dir, "not-the-password")).with(Map.of("job.restart-attempts", "0"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        EmotionPipeline.configure(env, bad);
        EmotionPipeline.build(env, bad, KafkaConnectors.postsSource(bad), model, KafkaConnectors.sinks(bad));
        started = System.nanoTime();
        Exception failed = assertThrows(Exception.class, () -> env.execute("secured Kafka IT, wrong password"));
        assertTrue(causes(failed).stream().anyMatch(t -> t instanceof SaslAuthenticationException), () -> "got " + failed);
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(120), "the job failed within two minutes");
    }

    /** kafka.properties.* for a SCRAM login whose JAAS line Kafka's FileConfigProvider reads from a file. */
    private static Map<String, String> secureSettings(Path dir, String password) throws Exception {
        Path secrets = dir.resolve("kafka-secrets-" + password.hashCode() + ".properties");
        Map<String, String> login = kafka.scramSettings(USER, password);
        Files.writeString(secrets, "sasl.jaas.config=" + login.get("sasl.jaas.config").replace("\\", "\\\\") + "\n");
        Map<String, String> s = new HashMap<>();
        s.put("kafka.bootstrap-servers", kafka.saslBootstrapServers());
        s.put("kafka.properties.security.protocol", login.get("security.protocol"));
        s.put("kafka.properties.sasl.mechanism", login.get("sasl.mechanism"));
        s.put("kafka.properties.config.providers", "file");
        s.put("kafka.properties.config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        s.put("kafka.properties.sasl.jaas.config", "${file:" + secrets + ":sasl.jaas.config}");
        for (String tls : List.of("ssl.truststore.location", "ssl.truststore.password", "ssl.truststore.type")) {
            s.put("kafka.properties." + tls, login.get(tls));
        }
        return s;
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static List<Throwable> causes(Throwable t) {
        List<Throwable> out = new ArrayList<>();
        for (; t != null && !out.contains(t); t = t.getCause()) {
            out.add(t);
        }
        return out;
    }
}
