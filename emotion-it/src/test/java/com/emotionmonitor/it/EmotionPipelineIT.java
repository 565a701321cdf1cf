package com.emotionmonitor.it;

import com.emotionmonitor.testkit.EmbeddedKafkaExtension;

import org.junit.jupiter.api.extension.RegisterExtension;
import com.emotionmonitor.embedded.EmbeddedKafka;

/** The pipeline IT against a real in-process KRaft broker ({@code EmbeddedKafka}: KafkaRaftServer on 127.0.0.1). */
class EmotionPipelineIT extends AbstractEmotionPipelineIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Override
    String bootstrapServers() {
        return KAFKA.bootstrapServers();
    }
}
