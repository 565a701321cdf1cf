package com.emotionmonitor.it;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/** The same pipeline IT against the Apache Kafka image, where a Docker engine exists; skipped cleanly elsewhere. */
@Testcontainers(disabledWithoutDocker = true)
class EmotionPipelineTestcontainersIT extends AbstractEmotionPipelineIT {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.2.0");

    @Override
    String bootstrapServers() {
        return KAFKA.getBootstrapServers();
    }
}
