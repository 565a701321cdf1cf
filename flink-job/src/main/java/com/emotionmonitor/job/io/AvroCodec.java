package com.emotionmonitor.job.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Plain Avro binary (no header, no registry id) of one SpecificRecord: the wire format of every topic, the same bytes
 * Flink's {@code AvroSerializationSchema.forSpecific} writes. Not thread-safe; one per thread or operator.
 */
public final class AvroCodec<T extends SpecificRecord> {

    private final SpecificDatumReader<T> reader;
    private final SpecificDatumWriter<T> writer;
    private BinaryDecoder decoder;
    private BinaryEncoder encoder;

    public AvroCodec(Class<T> type) {
        this.reader = new SpecificDatumReader<>(type);
        this.writer = new SpecificDatumWriter<>(type);
    }

    /** Decodes exactly one record; trailing bytes are an error (they mean the bytes were not this record). */
    public T decode(byte[] bytes) throws IOException {
        decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
        T record = reader.read(null, decoder);
        if (!decoder.isEnd()) {
            throw new IOException("bytes continue after a complete " + reader.getSchema().getName()
                    + " (" + bytes.length + " bytes in total): not a " + reader.getSchema().getName());
        }
        return record;
    }

    public byte[] encode(T record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        encoder = EncoderFactory.get().binaryEncoder(out, encoder);
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
