package com.emotionmonitor.job.io;

import com.emotionmonitor.schema.DeadLetter;
import com.emotionmonitor.schema.SocialPost;
import java.io.IOException;
import org.apache.avro.AvroRuntimeException;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Kafka bytes -> {@code Right(ReceivedPost)}, or {@code Left(DeadLetter)} with the record's topic/partition/offset
 * and the reason when the bytes are not a valid SocialPost. Never throws for bad data: one poison record must not
 * restart the job forever. {@link com.emotionmonitor.job.ops.SplitDeadLetters} routes the lefts to a side output.
 */
public final class SocialPostDeserializer implements KafkaRecordDeserializationSchema<Either<DeadLetter, ReceivedPost>> {

    private static final long serialVersionUID = 1L;

    static {
        AvroLimits.apply();
    }

    private transient AvroCodec<SocialPost> codec;

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        codec = new AvroCodec<>(SocialPost.class);
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
        SocialPost post;
        try {
            post = codec.decode(record.value());
        } catch (IOException | AvroRuntimeException | IllegalArgumentException | IndexOutOfBoundsException
                | NegativeArraySizeException | ClassCastException e) {
            out.collect(Either.Left(DeadLetters.undecodable(record,
                    "not an Avro SocialPost (" + record.value().length + " bytes): " + DeadLetters.describe(e))));
            return;
        }
        String invalid = validate(post);
        if (invalid != null) {
            out.collect(Either.Left(DeadLetters.undecodable(record, invalid)));
            return;
        }
        out.collect(Either.Right(new ReceivedPost(post, record.topic(), record.partition(), record.offset())));
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
