package com.emotionmonitor.dashboard.feed;

import java.io.IOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads one record of the topics' wire format: plain Avro binary of the SpecificRecord, no header, no registry id
 * (what the job's {@code AvroCodec} writes). Decode-only and without the job's UTF-8 check, which flags posts for
 * the model and means nothing to a page; kept here so that the dashboard needs the schemas and not the job.
 * Not thread-safe.
 */
final class AvroReader<T extends SpecificRecord> {

    private final SpecificDatumReader<T> reader;
    private BinaryDecoder decoder;

    AvroReader(Class<T> type) {
        this.reader = new SpecificDatumReader<>(type);
    }

    T read(byte[] bytes) throws IOException {
        if (bytes == null) {
            throw new IOException("a tombstone (null value)");
        }
        decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
        T record = reader.read(null, decoder);
        if (!decoder.isEnd()) {
            throw new IOException("bytes continue after a complete record: not this topic's record");
        }
        return record;
    }
}
