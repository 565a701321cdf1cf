package com.emotionmonitor.embedded;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft Kafka broker (broker + controller combined) running in this JVM, from Kafka's own
 * {@link KafkaClusterTestKit}: for the demo and the integration tests. Listeners and advertised addresses are
 * 127.0.0.1 on free ports; transactions work with one node (replication factor 1 for the internal topics).
 *
 * <p>Note: the test kit pre-binds its ports before the broker starts (on the wildcard address, a test-kit internal);
 * clients only ever connect to the advertised 127.0.0.1 address.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** Above the job's default transaction timeout (10 min), like a production broker's default (15 min). */
    public static final long TRANSACTION_MAX_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(15);

    private final KafkaClusterTestKit cluster;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** Formats, starts and waits for the broker (a few seconds cold). */
    public static EmbeddedKafka start() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build();
        String broker = nodes.brokerListenerName().value();
        String controller = nodes.controllerListenerName().value();
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("listeners", broker + "://127.0.0.1:0," + controller + "://127.0.0.1:0")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "1")
                .setConfigProp("transaction.max.timeout.ms", Long.toString(TRANSACTION_MAX_TIMEOUT_MS))
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                .setConfigProp("num.partitions", "1")
                .build();
        PrintStream stdout = System.out;
        System.setOut(System.err); // the storage formatter prints progress to stdout, which belongs to the CLI's results
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            cluster.close();
            throw e;
        } finally {
            System.setOut(stdout);
        }
        return new EmbeddedKafka(cluster);
    }

    /** {@code 127.0.0.1:<port>}: the test kit reports {@code localhost}, which may resolve to another address. */
    public String bootstrapServers() {
        String reported = cluster.bootstrapServers();
        return "127.0.0.1:" + reported.substring(reported.lastIndexOf(':') + 1);
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
        cluster.close();
    }
}
