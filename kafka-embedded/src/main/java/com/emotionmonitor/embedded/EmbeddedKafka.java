package com.emotionmonitor.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node KRaft Kafka (broker + controller combined) running in this JVM: Kafka's own
 * {@link KafkaRaftServer}, formatted with its own {@link StorageTool}, for the demo and the integration
 * tests. Every listener binds 127.0.0.1 on a free port (Kafka's test kit pre-binds on the wildcard
 * address, which this project does not allow); transactions work with one node (replication factor 1
 * for the internal topics). The data lives in a temporary directory removed on {@link #close()}.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** Above the job's default transaction timeout (10 min), like a production broker's default (15 min). */
    public static final long TRANSACTION_MAX_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(15);

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    /** The SASL mechanism of {@link #startWithScram}. */
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-256";

    private final Properties serverProps;
    private final Path dataDir;
    private final int brokerPort;
    private final int saslPort;
    private final SelfSignedTls tls;
    private KafkaRaftServer server;

    private EmbeddedKafka(Properties serverProps, Path dataDir, int brokerPort, int saslPort, SelfSignedTls tls) {
        this.serverProps = serverProps;
        this.dataDir = dataDir;
        this.brokerPort = brokerPort;
        this.saslPort = saslPort;
        this.tls = tls;
    }

    /** Formats, starts and waits for the broker (a few seconds cold): one PLAINTEXT listener. */
    public static EmbeddedKafka start() throws Exception {
        return start(null, null);
    }

    /**
     * A broker that also has a {@code SASL_SSL} listener ({@link #saslBootstrapServers()}): TLS with a self-signed
     * certificate for 127.0.0.1 made for this broker ({@link SelfSignedTls}; clients trust it through
     * {@link #scramSettings}), and SCRAM-SHA-256 where {@code user} is the one account (its credential is written when
     * the storage is formatted, as {@code kafka-storage format --add-scram} does). The PLAINTEXT listener stays, for
     * the broker itself.
     */
    public static EmbeddedKafka startWithScram(String user, String password) throws Exception {
        return start(user, password);
    }

    private static EmbeddedKafka start(String scramUser, String scramPassword) throws Exception {
        Path dataDir = Files.createTempDirectory("embedded-kafka");
        int brokerPort = freeLoopbackPort();
        int controllerPort = freeLoopbackPort();
        int saslPort = scramUser == null ? -1 : freeLoopbackPort();
        Properties p = serverProperties(dataDir.resolve("logs"), brokerPort, controllerPort);
        SelfSignedTls tls = null;
        if (scramUser != null) {
            tls = SelfSignedTls.create(dataDir);
            addScramListener(p, brokerPort, saslPort, controllerPort);
            p.putAll(tls.brokerSettings("sasl_ssl"));
        }
        Path config = dataDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            p.store(out, "embedded KRaft node");
        }
        EmbeddedKafka kafka = new EmbeddedKafka(p, dataDir, brokerPort, saslPort, tls);
        try {
            List<String> format = new ArrayList<>(List.of("format", "-t", Uuid.randomUuid().toString(), "-c",
                    config.toString(), "--ignore-formatted"));
            if (scramUser != null) {
                format.addAll(List.of("--add-scram", SCRAM_MECHANISM + "=[name=" + scramUser + ",password=" + scramPassword + "]"));
            }
            int formatted = StorageTool.execute(format.toArray(String[]::new), new PrintStream(OutputStream.nullOutputStream()));
            if (formatted != 0) {
                throw new IllegalStateException("formatting the embedded broker's storage in " + dataDir + " failed (" + formatted + ")");
            }
            kafka.startServer();
            return kafka;
        } catch (Exception | Error e) {
            kafka.stopServer();
            deleteTree(dataDir);
            throw e;
        }
    }

    private static void addScramListener(Properties p, int brokerPort, int saslPort, int controllerPort) {
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",SASL_SSL://127.0.0.1:" + saslPort
                + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",SASL_SSL://127.0.0.1:" + saslPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT");
        p.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
        p.put("listener.name.sasl_ssl." + SCRAM_MECHANISM.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    }

    private void startServer() throws Exception {
        server = new KafkaRaftServer(KafkaConfig.fromProps(serverProps), Time.SYSTEM);
        server.startup();
        awaitReady();
    }

    private void stopServer() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    /**
     * Stops the broker process and starts it again on the same ports with the same data, as a rolling restart or a
     * crash and recovery does: clients see their connections drop, then the same broker come back.
     */
    public void restart() throws Exception {
        stopServer();
        startServer();
    }

    /** Stops the broker, keeping its data, so that {@link #startAgain()} can bring it back (an outage of any length). */
    public void stop() {
        stopServer();
    }

    /** Starts the broker stopped by {@link #stop()}. */
    public void startAgain() throws Exception {
        if (server == null) {
            startServer();
        }
    }

    static Properties serverProperties(Path logDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("transaction.max.timeout.ms", Long.toString(TRANSACTION_MAX_TIMEOUT_MS));
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        return p;
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        try (Admin admin = Admin.create(clientProperties())) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    last = e;
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the embedded broker at " + bootstrapServers() + " did not become ready within "
                + READY_TIMEOUT.toSeconds() + " s", last);
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /** The SCRAM listener of {@link #startWithScram}. */
    public String saslBootstrapServers() {
        if (saslPort < 0) {
            throw new IllegalStateException("this broker has no SASL listener: start it with startWithScram");
        }
        return "127.0.0.1:" + saslPort;
    }

    /** Client properties that log in on the SCRAM listener as {@code user} (right or wrong credentials). */
    public Properties scramClientProperties(String user, String password) {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, saslBootstrapServers());
        p.putAll(scramSettings(user, password));
        return p;
    }

    /**
     * The client settings of a SCRAM login over TLS on the {@link #startWithScram} listener, without the bootstrap
     * servers: the trust store that holds this broker's certificate (hostname verification stays on), and the login.
     */
    public Map<String, String> scramSettings(String user, String password) {
        if (tls == null) {
            throw new IllegalStateException("this broker has no SASL_SSL listener: start it with startWithScram");
        }
        Map<String, String> s = new java.util.LinkedHashMap<>(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism",
                SCRAM_MECHANISM, "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";"));
        s.putAll(tls.clientSettings());
        return s;
    }

    /** Client properties pointing at this broker. */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return p;
    }

    /** Creates topics (name -> partitions) with replication factor 1 and waits until they exist. */
    public void createTopics(Map<String, Integer> partitionsByTopic) throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        partitionsByTopic.forEach((name, partitions) -> topics.add(new NewTopic(name, partitions, (short) 1)));
        try (Admin admin = Admin.create(clientProperties())) {
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            stopServer();
        } finally {
            deleteTree(dataDir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
