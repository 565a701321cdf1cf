package com.emotionmonitor.tools;

import com.emotionmonitor.tools.DemoPosts.SamplePost;
import com.emotionmonitor.job.io.AvroCodec;
import com.emotionmonitor.schema.SocialPost;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends a fixed number of real posts to the posts topic as Avro {@code SocialPost}s, keyed by id, with an idempotent
 * {@code acks=all} producer: each id is written exactly once, or the run fails. Texts cycle through a sample of real
 * posts; ids come from {@link PostIds}; created_at is the send time.
 */
public final class PostProducer {

    private final Properties client;
    private final String topic;

    public PostProducer(String bootstrapServers, String topic) {
        this(EventAudit.bootstrapOnly(bootstrapServers), topic);
    }

    /** @param client the Kafka client properties (bootstrap servers, security ...) */
    public PostProducer(Properties client, String topic) {
        this.client = client;
        this.topic = topic;
    }

    /**
     * Sends {@code ids.count()} posts at {@code rate} posts/s (0 = as fast as the broker takes them), reporting progress
     * after each acknowledged post; returns once every post is acknowledged.
     */
    public void send(List<SamplePost> sample, PostIds ids, double rate, LongConsumer acked) throws InterruptedException {
        if (sample.isEmpty()) {
            throw new IllegalArgumentException("no sample posts to send");
        }
        Properties props = new Properties();
        props.putAll(client);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "emotion-produce");
        AvroCodec<SocialPost> codec = new AvroCodec<>(SocialPost.class);
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicLong done = new AtomicLong();
        long intervalNanos = rate > 0 ? (long) (1_000_000_000L / rate) : 0;
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long n = 0; n < ids.count() && failure.get() == null; n++) {
                if (intervalNanos > 0) {
                    long wait = start + n * intervalNanos - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                SamplePost text = sample.get((int) (n % sample.size()));
                String id = ids.id(ids.first() + n);
                SocialPost post = SocialPost.newBuilder()
                        .setId(id)
                        .setText(text.content())
                        .setCreatedAt(Instant.now())
                        .setAuthorId(null)
                        .setSource(Map.of("producer", "bin/emotion produce", "dataset_id", text.datasetId()))
                        .build();
                producer.send(new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8), codec.encode(post)), (md, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    } else {
                        acked.accept(done.incrementAndGet());
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("sending to " + topic + " on " + client.get("bootstrap.servers") + " failed after "
                    + done.get() + " acknowledged posts: " + failure.get().getMessage(), failure.get());
        }
    }
}
