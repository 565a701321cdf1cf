package com.emotionmonitor.job.io;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The last line of defence of the event-time policy at every sink: a record's Kafka timestamp is never after the
 * writer's clock and never negative. A broker refuses a timestamp more than {@code message.timestamp.after.max.ms}
 * ahead with {@code InvalidTimestampException}, the producer refuses a negative one, and either would fail the sink,
 * restart the job into the same record and stop it for good. Upstream, {@link com.emotionmonitor.job.time.EventTimePolicy}
 * already bounds event times; a few timestamps are not event times (a flush at the end of event time, Long.MAX_VALUE).
 */
public final class BoundedTimestamps<T> implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final KafkaRecordSerializationSchema<T> inner;

    private BoundedTimestamps(KafkaRecordSerializationSchema<T> inner) {
        this.inner = inner;
    }

    public static <T> KafkaRecordSerializationSchema<T> of(KafkaRecordSerializationSchema<T> inner) {
        return new BoundedTimestamps<>(inner);
    }

    /** {@code timestamp} if it is usable now; the writer's clock if it lies ahead; none (the producer's) if negative. */
    static Long bound(Long timestamp, long nowMillis) {
        if (timestamp == null || timestamp < 0) {
            return null;
        }
        return Math.min(timestamp, nowMillis);
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) throws Exception {
        inner.open(context, sinkContext);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        return inner.serialize(element, context, bound(timestamp, System.currentTimeMillis()));
    }
}
