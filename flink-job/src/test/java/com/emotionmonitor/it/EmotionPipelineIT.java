package com.emotionmonitor.it;

import com.emotionmonitor.embedded.EmbeddedKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The pipeline IT against a real in-process KRaft broker ({@code EmbeddedKafka}: KafkaRaftServer on 127.0.0.1). */
class EmotionPipelineIT extends AbstractEmotionPipelineIT {

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Override
    String bootstrapServers() {
        return kafka.bootstrapServers();
    }
}
