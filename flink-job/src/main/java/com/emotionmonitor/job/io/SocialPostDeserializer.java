package com.emotionmonitor.job.io;

import com.emotionmonitor.job.time.EventTimePolicy;
import com.emotionmonitor.schema.DeadLetter;
import com.emotionmonitor.schema.SocialPost;
import java.io.IOException;
import java.io.Serializable;
import java.util.function.LongSupplier;
import org.apache.avro.AvroRuntimeException;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Kafka bytes -> {@code Right(ReceivedPost)}, or {@code Left(DeadLetter)} with the record's topic/partition/offset
 * and the reason when the bytes are not a valid SocialPost. Never throws for bad data: one poison record must not
 * restart the job forever. {@link com.emotionmonitor.job.ops.SplitDeadLetters} routes the lefts to a side output.
 *
 * <p>Each post also gets its event time here, where its record's Kafka timestamp is known: {@code created_at} when
 * the {@link EventTimePolicy} accepts it, a replacement otherwise. Strings that were not valid UTF-8 on the wire are
 * flagged ({@link ReceivedPost#invalidUtf8}). Both are counted: metrics {@code eventTimeFuture}, {@code eventTimePast},
 * {@code invalidUtf8}.
 */
public final class SocialPostDeserializer implements KafkaRecordDeserializationSchema<Either<DeadLetter, ReceivedPost>> {

    private static final long serialVersionUID = 1L;

    static {
        AvroLimits.apply();
    }

    /** The job's clock, serializable (tests pass a fixed one). */
    public interface Clock extends LongSupplier, Serializable {}

    private final EventTimePolicy policy;
    private final Clock clock;
    private transient AvroCodec<SocialPost> codec;
    private transient Counter future;
    private transient Counter past;
    private transient Counter invalidUtf8;

    public SocialPostDeserializer(EventTimePolicy policy) {
        this(policy, System::currentTimeMillis);
    }

    public SocialPostDeserializer(EventTimePolicy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        codec = new AvroCodec<>(SocialPost.class);
        if (context != null && context.getMetricGroup() != null) {
            MetricGroup group = context.getMetricGroup();
            future = group.counter("eventTimeFuture");
            past = group.counter("eventTimePast");
            invalidUtf8 = group.counter("invalidUtf8");
        }
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Either<DeadLetter, ReceivedPost>> out) {
        if (codec == null) {
            open(null);
        }
        if (record.value() == null) {
            out.collect(Either.Left(DeadLetters.undecodable(record, "record has no value (tombstone): not a SocialPost")));
            return;
        }
        AvroCodec.Decoded<SocialPost> decoded;
        try {
            decoded = codec.decodeChecked(record.value());
        } catch (IOException | AvroRuntimeException | IllegalArgumentException | IndexOutOfBoundsException
                | NegativeArraySizeException | ClassCastException e) {
            out.collect(Either.Left(DeadLetters.undecodable(record,
                    "not an Avro SocialPost (" + record.value().length + " bytes): " + DeadLetters.describe(e))));
            return;
        }
        SocialPost post = decoded.record();
        String invalid = validate(post);
        if (invalid != null) {
            out.collect(Either.Left(DeadLetters.undecodable(record, invalid)));
            return;
        }
        EventTimePolicy.Decision time = policy.decide(post.getCreatedAt().toEpochMilli(), record.timestamp(), clock.getAsLong());
        count(time.adjustment(), decoded.invalidUtf8());
        out.collect(Either.Right(new ReceivedPost(post, record.topic(), record.partition(), record.offset(),
                time.eventTimeMillis(), decoded.invalidUtf8())));
    }

    private void count(EventTimePolicy.Adjustment adjustment, boolean badUtf8) {
        if (future == null) {
            return; // no metric group (a unit test without a runtime)
        }
        switch (adjustment) {
            case FUTURE -> future.inc();
            case PAST -> past.inc();
            case NONE -> { }
        }
        if (badUtf8) {
            invalidUtf8.inc();
        }
    }

    /** The checks Avro cannot express; null when the post is usable. */
    static String validate(SocialPost post) {
        if (post.getId() == null || post.getId().isBlank()) {
            return "SocialPost.id is empty: events are keyed by it";
        }
        if (post.getCreatedAt() == null) {
            return "SocialPost.created_at is missing: it is the event time";
        }
        return null;
    }

    @Override
    public TypeInformation<Either<DeadLetter, ReceivedPost>> getProducedType() {
        return new EitherTypeInfo<>(new AvroTypeInfo<>(DeadLetter.class), TypeInformation.of(ReceivedPost.class));
    }
}
