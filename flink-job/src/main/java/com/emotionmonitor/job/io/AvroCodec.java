package com.emotionmonitor.job.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.Utf8;

/**
 * Plain Avro binary (no header, no registry id) of one SpecificRecord: the wire format of every topic, the same bytes
 * Flink's {@code AvroSerializationSchema.forSpecific} writes. Not thread-safe; one per thread or operator.
 *
 * <p>Avro itself decodes a string that is not valid UTF-8 by silently replacing each malformed sequence with U+FFFD.
 * {@link #decodeChecked} reads the same way but says whether that happened, so the job can flag such a post instead of
 * repairing it unnoticed.
 */
public final class AvroCodec<T extends SpecificRecord> {

    /** A decoded record, and whether any of its strings was not valid UTF-8 on the wire. */
    public record Decoded<T>(T record, boolean invalidUtf8) {}

    private final Utf8CheckingReader<T> reader;
    private final SpecificDatumWriter<T> writer;
    private BinaryDecoder decoder;
    private BinaryEncoder encoder;

    public AvroCodec(Class<T> type) {
        // The generated classes' custom decoders and Avro's fast reader read strings without going through the
        // reader's readString: both off, so every string passes the UTF-8 check.
        SpecificData data = new SpecificData(type.getClassLoader());
        data.setCustomCoders(false);
        data.setFastReaderEnabled(false);
        SpecificData.getForClass(type).getConversions().forEach(data::addLogicalTypeConversion); // timestamp-millis -> Instant
        Schema schema = data.getSchema(type);
        this.reader = new Utf8CheckingReader<>(schema, data);
        this.writer = new SpecificDatumWriter<>(type);
    }

    /** Decodes exactly one record; trailing bytes are an error (they mean the bytes were not this record). */
    public T decode(byte[] bytes) throws IOException {
        return decodeChecked(bytes).record();
    }

    /** {@link #decode}, also telling whether a string was not valid UTF-8 (and was read with U+FFFD in its place). */
    public Decoded<T> decodeChecked(byte[] bytes) throws IOException {
        decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
        reader.invalidUtf8 = false;
        T record = reader.read(null, decoder);
        if (!decoder.isEnd()) {
            throw new IOException("bytes continue after a complete " + reader.getSchema().getName()
                    + " (" + bytes.length + " bytes in total): not a " + reader.getSchema().getName());
        }
        return new Decoded<>(record, reader.invalidUtf8);
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

    /** Reads every string (fields, map keys and values) through a strict UTF-8 check, then as Avro would. */
    private static final class Utf8CheckingReader<T> extends SpecificDatumReader<T> {

        private final CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        boolean invalidUtf8;

        Utf8CheckingReader(Schema schema, SpecificData data) {
            super(schema, schema, data);
        }

        @Override
        protected Object readString(Object old, Schema expected, Decoder in) throws IOException {
            Utf8 bytes = in.readString(null);
            if (!invalidUtf8 && !isValidUtf8(bytes)) {
                invalidUtf8 = true;
            }
            return bytes.toString(); // malformed sequences become U+FFFD, as Avro's own reader does
        }

        private boolean isValidUtf8(Utf8 s) {
            byte[] b = s.getBytes();
            int n = s.getByteLength();
            boolean ascii = true;
            for (int i = 0; i < n && ascii; i++) {
                ascii = b[i] >= 0;
            }
            if (ascii) {
                return true;
            }
            try {
                strict.reset().decode(ByteBuffer.wrap(b, 0, n));
                return true;
            } catch (CharacterCodingException e) {
                return false;
            }
        }
    }
}
