package com.emotionmonitor.testkit;

import com.emotionmonitor.embedded.EmbeddedKafka;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real in-process KRaft broker (127.0.0.1) per test class, the way Flink's {@code MiniClusterExtension} gives one
 * cluster: {@code @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();}.
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, AfterAllCallback {

    private EmbeddedKafka kafka;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        kafka = EmbeddedKafka.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    public EmbeddedKafka kafka() {
        if (kafka == null) {
            throw new IllegalStateException("the embedded broker runs only inside the test class's lifecycle");
        }
        return kafka;
    }

    public String bootstrapServers() {
        return kafka().bootstrapServers();
    }
}
