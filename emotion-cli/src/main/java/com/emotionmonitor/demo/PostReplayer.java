package com.emotionmonitor.demo;

import com.emotionmonitor.tools.DemoPosts;

import com.emotionmonitor.job.io.AvroCodec;
import com.emotionmonitor.schema.SocialPost;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Replays the sample posts into the posts topic at a fixed rate, looping over the sample with fresh ids
 * ({@code demo-<n>}). Event times follow a {@link ReplayClock} (faster than the wall clock until they catch up with it,
 * never ahead of it), minus a bounded random jitter (within the job's out-of-orderness) so posts arrive slightly out
 * of order as real ones do. Optionally slips in malformed bytes to show the dead-letter path, and injects a
 * {@link SpikeBurst} (extra posts of one emotion, ids {@code demo-<n>-<emotion>-<k>}) into one window.
 */
public final class PostReplayer implements Runnable {

    private final List<DemoPosts.SamplePost> sample;
    private final Properties producerProps;
    private final String topic;
    private final double rate;
    private final ReplayClock clock;
    private final Duration maxJitter;
    private final int malformedEvery;
    private final SpikeBurst spike;
    private final Burst burst;
    private final long spikeWindowStart;
    private final long spikeWindowEnd;

    private volatile boolean stopRequested;
    private final AtomicLong postsSent = new AtomicLong();
    private final AtomicLong spikePostsSent = new AtomicLong();
    private final AtomicLong burstPostsSent = new AtomicLong();
    private final AtomicLong malformedSent = new AtomicLong();
    private final AtomicReference<Exception> sendError = new AtomicReference<>();
    /** post id -> System.nanoTime() when the broker acknowledged it: the start of its end-to-end latency. */
    private final Map<String, Long> ackedAtNanos = new ConcurrentHashMap<>();

    /** @param spike the burst to inject, or null; it fills the event-time window of {@code windowSize} it starts in */
    public PostReplayer(List<DemoPosts.SamplePost> sample, Properties clientProps, String topic, double rate,
                        ReplayClock clock, Duration maxJitter, int malformedEvery, SpikeBurst spike, Duration windowSize,
                        Burst burst) {
        this.sample = sample;
        this.producerProps = new Properties();
        this.producerProps.putAll(clientProps);
        this.producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        this.producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        this.topic = topic;
        this.rate = rate;
        this.clock = clock;
        this.maxJitter = maxJitter;
        this.malformedEvery = malformedEvery;
        this.spike = spike;
        this.burst = burst;
        this.spikeWindowStart = spike == null ? Long.MAX_VALUE : spike.windowStart(clock, windowSize);
        this.spikeWindowEnd = spike == null ? Long.MAX_VALUE : spikeWindowStart + windowSize.toMillis();
    }

    @Override
    public void run() {
        AvroCodec<SocialPost> codec = new AvroCodec<>(SocialPost.class);
        Random random = new Random(20200101L);
        long intervalNanos = (long) (1_000_000_000L / rate);
        long start = System.nanoTime();
        long injected = 0;
        boolean burstSent = burst == null;
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long n = 0; !stopRequested && sendError.get() == null; n++) {
                long due = start + n * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                if (malformedEvery > 0 && n > 0 && n % malformedEvery == 0) {
                    byte[] garbage = ("not avro #" + n).getBytes(StandardCharsets.UTF_8);
                    producer.send(new ProducerRecord<>(topic, null, garbage), (md, e) -> {
                        if (e == null) {
                            malformedSent.incrementAndGet();
                        } else {
                            sendError.compareAndSet(null, e);
                        }
                    });
                    continue;
                }
                if (!burstSent && System.nanoTime() - start >= burst.after().toNanos()) {
                    burstSent = true;
                    long at = clock.eventTimeAt(System.currentTimeMillis());
                    for (int k = 0; k < burst.posts(); k++) {
                        send(producer, codec, "demo-burst-" + k, sample.get(k % sample.size()), at - jitter(random), burstPostsSent);
                    }
                }
                long eventTime = clock.eventTimeAt(System.currentTimeMillis());
                send(producer, codec, "demo-" + n, sample.get((int) (n % sample.size())), eventTime - jitter(random), null);
                if (eventTime >= spikeWindowStart && eventTime < spikeWindowEnd) {
                    for (int k = 0; k < spike.perPost(); k++) {
                        send(producer, codec, "demo-" + n + "-" + spike.emotion().label() + "-" + k, spike.post(injected++),
                                eventTime - jitter(random), spikePostsSent);
                    }
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long jitter(Random random) {
        return maxJitter.toMillis() == 0 ? 0 : (long) (random.nextDouble() * maxJitter.toMillis());
    }

    /** Sends one post; on the broker's ack counts it (and in {@code alsoCount}, if given) and notes the ack time. */
    private void send(KafkaProducer<byte[], byte[]> producer, AvroCodec<SocialPost> codec, String id, DemoPosts.SamplePost s,
                      long createdAtMillis, AtomicLong alsoCount) {
        Map<String, String> source = new HashMap<>();
        source.put("platform", "weibo");
        source.put("dataset", DemoPosts.DATASET);
        source.put("dataset_id", s.datasetId());
        if (s.label() != null) {
            source.put("gold_label", s.label());
        }
        if (alsoCount == spikePostsSent) {
            source.put("demo", "injected spike");
        } else if (alsoCount == burstPostsSent) {
            source.put("demo", "load burst");
        }
        SocialPost post = SocialPost.newBuilder()
                .setId(id)
                .setText(s.content())
                .setCreatedAt(Instant.ofEpochMilli(createdAtMillis))
                .setAuthorId(null)
                .setSource(source)
                .build();
        producer.send(new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8), codec.encode(post)), (md, e) -> {
            if (e == null) {
                ackedAtNanos.put(id, System.nanoTime());
                postsSent.incrementAndGet();
                if (alsoCount != null) {
                    alsoCount.incrementAndGet();
                }
            } else {
                sendError.compareAndSet(null, e);
            }
        });
    }

    public void stop() {
        stopRequested = true;
    }

    /** Valid posts acknowledged by the broker. */
    public long postsSent() {
        return postsSent.get();
    }

    /** Injected spike posts acknowledged by the broker (included in {@link #postsSent()}). */
    public long spikePostsSent() {
        return spikePostsSent.get();
    }

    /** Event-time start of the injected spike's window, or null without a spike. */
    public Instant spikeWindowStart() {
        return spike == null ? null : Instant.ofEpochMilli(spikeWindowStart);
    }

    /** Posts of the load burst acknowledged by the broker (included in {@link #postsSent()}). */
    public long burstPostsSent() {
        return burstPostsSent.get();
    }

    /**
     * A load burst ({@code --burst-at}): {@code posts} extra posts sent as fast as the producer takes them, {@code after}
     * the first post (wall clock), with the replay's current event time; ids {@code demo-burst-<k>}.
     */
    public record Burst(Duration after, int posts) {
        public Burst {
            if (after.isNegative() || posts < 1) {
                throw new IllegalArgumentException("a burst needs a time >= 0 and at least one post");
            }
        }
    }

    public long malformedSent() {
        return malformedSent.get();
    }

    public Exception sendError() {
        return sendError.get();
    }

    /**
     * When the broker acknowledged the post, or null if unknown; forgets it (each post's event is read once, and a
     * demo that runs for days must not keep every id).
     */
    public Long takeAckedAtNanos(String postId) {
        return ackedAtNanos.remove(postId);
    }
}
