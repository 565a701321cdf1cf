package com.emotionmonitor.job.io;

import com.emotionmonitor.schema.ModelCommand;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Avro ModelCommand from the model-control topic. A record that is not a ModelCommand is skipped with a warning
 * naming its coordinates and counted ({@code undecodableModelCommands}): a bad command must never stop the job.
 */
public final class ModelCommandDeserializer implements KafkaRecordDeserializationSchema<ModelCommand> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ModelCommandDeserializer.class);

    private transient AvroCodec<ModelCommand> codec;
    private transient Counter undecodable;

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        codec = new AvroCodec<>(ModelCommand.class);
        undecodable = context.getMetricGroup().counter("undecodableModelCommands");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ModelCommand> out) {
        if (record.value() == null) {
            return; // a tombstone carries no command
        }
        try {
            out.collect(codec.decode(record.value()));
        } catch (java.io.IOException | RuntimeException e) {
            undecodable.inc();
            LOG.warn("skipping a model-control record that is not an Avro ModelCommand ({}-{}@{}): {}", record.topic(),
                    record.partition(), record.offset(), DeadLetters.describe(e));
        }
    }

    @Override
    public TypeInformation<ModelCommand> getProducedType() {
        return new AvroTypeInfo<>(ModelCommand.class);
    }
}
