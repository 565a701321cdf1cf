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

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final int brokerPort;

    private EmbeddedKafka(KafkaRaftServer server, Path dataDir, int brokerPort) {
        this.server = server;
        this.dataDir = dataDir;
        this.brokerPort = brokerPort;
    }

    /** Formats, starts and waits for the broker (a few seconds cold). */
    public static EmbeddedKafka start() throws Exception {
        Path dataDir = Files.createTempDirectory("embedded-kafka");
        int brokerPort = freeLoopbackPort();
        int controllerPort = freeLoopbackPort();
        Properties p = serverProperties(dataDir.resolve("logs"), brokerPort, controllerPort);
        Path config = dataDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            p.store(out, "embedded KRaft node");
        }
        KafkaRaftServer server = null;
        try {
            int formatted = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c",
                    config.toString(), "--ignore-formatted"}, new PrintStream(OutputStream.nullOutputStream()));
            if (formatted != 0) {
                throw new IllegalStateException("formatting the embedded broker's storage in " + dataDir + " failed (" + formatted + ")");
            }
            server = new KafkaRaftServer(KafkaConfig.fromProps(p), Time.SYSTEM);
            server.startup();
            EmbeddedKafka kafka = new EmbeddedKafka(server, dataDir, brokerPort);
            kafka.awaitReady();
            return kafka;
        } catch (Exception | Error e) {
            if (server != null) {
                server.shutdown();
                server.awaitShutdown();
            }
            deleteTree(dataDir);
            throw e;
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
            server.shutdown();
            server.awaitShutdown();
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
