package com.emotionmonitor.job.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.job.TestPosts;
import com.emotionmonitor.job.time.EventTimePolicy;
import com.emotionmonitor.schema.DeadLetter;
import com.emotionmonitor.schema.FailureStage;
import com.emotionmonitor.schema.SocialPost;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.types.Either;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class SocialPostDeserializerTest {

    private static final long NOW = 1_780_000_000_000L;
    private static final long HOUR = 3_600_000L;
    private static final EventTimePolicy POLICY = new EventTimePolicy(Duration.ofSeconds(5), Duration.ofDays(3650));

    private final SocialPostDeserializer deserializer = new SocialPostDeserializer(POLICY, () -> NOW);

    private Either<DeadLetter, ReceivedPost> read(byte[] key, byte[] value) throws Exception {
        return read(key, value, ConsumerRecord.NO_TIMESTAMP);
    }

    private Either<DeadLetter, ReceivedPost> read(byte[] key, byte[] value, long kafkaTimestamp) throws Exception {
        List<Either<DeadLetter, ReceivedPost>> out = new ArrayList<>();
        deserializer.deserialize(new ConsumerRecord<>("posts", 3, 41L, kafkaTimestamp, TimestampType.CREATE_TIME,
                key == null ? -1 : key.length, value == null ? -1 : value.length, key, value, new RecordHeaders(),
                Optional.empty()), new ListCollector<>(out));
        assertEquals(1, out.size(), "exactly one output per record");
        return out.get(0);
    }

    private ReceivedPost readPost(long createdAt, long kafkaTimestamp) throws Exception {
        Either<DeadLetter, ReceivedPost> r = read(null, TestPosts.bytes(TestPosts.post("p", "好", createdAt)), kafkaTimestamp);
        assertTrue(r.isRight(), () -> "a post outside the event-time policy is still a post, got " + r);
        assertEquals(createdAt, r.right().post.getCreatedAt().toEpochMilli(), "the claimed created_at is kept as it was");
        return r.right();
    }

    @Test
    void aCreatedAtWithinThePolicyIsTheEventTime() throws Exception {
        ReceivedPost p = readPost(NOW - HOUR, NOW - 1_000);
        assertEquals(NOW - HOUR, p.eventTime);
        assertFalse(p.eventTimeAdjusted());
        assertEquals(NOW + 5_000, readPost(NOW + 5_000, NOW).eventTime, "up to max-future-skew ahead is clock skew, accepted");
    }

    @Test
    void aFarFutureCreatedAtIsReplacedByTheKafkaTimestamp() throws Exception {
        ReceivedPost p = readPost(NOW + 10 * 365 * 24 * HOUR, NOW - 2_000);
        assertEquals(NOW - 2_000, p.eventTime);
        assertTrue(p.eventTimeAdjusted());
        // 58 minutes ahead: under the broker's limit, but it would carry the watermark an hour past every real post.
        assertEquals(NOW - 2_000, readPost(NOW + 58 * 60_000, NOW - 2_000).eventTime);
    }

    @Test
    void whenTheKafkaTimestampIsOutsideThePolicyTooTheJobClockDecides() throws Exception {
        assertEquals(NOW, readPost(NOW + 2 * HOUR, NOW + HOUR).eventTime, "a producer whose clock is an hour ahead");
        assertEquals(NOW, readPost(NOW + 2 * HOUR, ConsumerRecord.NO_TIMESTAMP).eventTime, "no Kafka timestamp");
        assertEquals(NOW, readPost(NOW + 2 * HOUR, NOW + 1_000).eventTime, "never after the job's clock");
    }

    @Test
    void aPostFrom1970IsReplacedToo() throws Exception {
        ReceivedPost p = readPost(0L, NOW - 500);
        assertEquals(NOW - 500, p.eventTime);
        assertTrue(p.eventTimeAdjusted());
        assertEquals(NOW, readPost(0L, 0L).eventTime, "a Kafka timestamp from 1970 is no better");
    }

    @Test
    void invalidUtf8OnTheWireIsFlaggedNotSilentlyRepaired() throws Exception {
        byte[] bytes = TestPosts.bytes(TestPosts.post("p1", "好XX", NOW));
        byte[] xx = "XX".getBytes(StandardCharsets.UTF_8);
        int at = indexOf(bytes, xx);
        bytes[at] = (byte) 0xC3; // a two-byte lead ...
        bytes[at + 1] = (byte) 0x28; // ... followed by a byte that cannot continue it
        Either<DeadLetter, ReceivedPost> r = read(null, bytes);
        assertTrue(r.isRight());
        assertTrue(r.right().invalidUtf8);
        assertEquals("好\uFFFD(", r.right().post.getText(), "read as Avro reads it: U+FFFD for the malformed sequence");

        ReceivedPost valid = read(null, TestPosts.bytes(TestPosts.post("p2", "好\uFFFD 😂", NOW))).right();
        assertFalse(valid.invalidUtf8, "a U+FFFD that was sent as such is valid UTF-8");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void validPostKeepsItsKafkaCoordinates() throws Exception {
        SocialPost post = TestPosts.post("p1", "今天好开心 #周末#", 1_700_000_000_000L);
        Either<DeadLetter, ReceivedPost> r = read("p1".getBytes(StandardCharsets.UTF_8), TestPosts.bytes(post));
        assertTrue(r.isRight());
        assertEquals(post, r.right().post);
        assertEquals("posts", r.right().topic);
        assertEquals(3, r.right().partition);
        assertEquals(41L, r.right().offset);
    }

    @Test
    void garbageBecomesADeadLetterWithCoordinatesBytesAndReason() throws Exception {
        byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);
        DeadLetter d = assertDeadLetter(read("k".getBytes(StandardCharsets.UTF_8), garbage));
        assertArrayEquals(garbage, bytes(d.getRawValue()));
        assertArrayEquals("k".getBytes(StandardCharsets.UTF_8), bytes(d.getRawKey()));
        assertTrue(d.getError().contains("not an Avro SocialPost"), d.getError());
    }

    @Test
    void aHugePoisonRecordBecomesABoundedDeadLetter() throws Exception {
        byte[] huge = new byte[2 * 1024 * 1024];
        Arrays.fill(huge, (byte) 0x7f);
        DeadLetter d = assertDeadLetter(read(null, huge));
        assertEquals(huge.length, d.getRawValueSize());
        assertEquals(DeadLetters.MAX_RAW_VALUE, d.getRawValue().remaining());
        assertTrue(new AvroCodec<>(DeadLetter.class).encode(d).length < 1024 * 1024, "fits the producer's 1 MiB request");
    }

    @Test
    void trailingBytesAreNotAPost() throws Exception {
        byte[] valid = TestPosts.bytes(TestPosts.post("p1", "text", 1L));
        byte[] longer = Arrays.copyOf(valid, valid.length + 3);
        DeadLetter d = assertDeadLetter(read(null, longer));
        assertTrue(d.getError().contains("bytes continue after a complete SocialPost"), d.getError());
        assertNull(d.getRawKey());
    }

    @Test
    void truncatedPostIsADeadLetter() throws Exception {
        byte[] valid = TestPosts.bytes(TestPosts.post("p1", "一段比较长的文字", 1L));
        assertDeadLetter(read(null, Arrays.copyOf(valid, valid.length - 4)));
    }

    @Test
    void hugeLengthPrefixIsADeadLetterNotAnOutOfMemoryError() throws Exception {
        // zig-zag varint of 2^30 as the id's string length, followed by almost nothing
        byte[] bytes = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08, 'x'};
        assertDeadLetter(read(null, bytes));
    }

    @Test
    void blankIdAndTombstoneAreDeadLetters() throws Exception {
        DeadLetter blank = assertDeadLetter(read(null, TestPosts.bytes(TestPosts.post(" ", "text", 1L))));
        assertTrue(blank.getError().contains("id is empty"), blank.getError());
        DeadLetter tombstone = assertDeadLetter(read(null, null));
        assertTrue(tombstone.getError().contains("tombstone"), tombstone.getError());
    }

    private static DeadLetter assertDeadLetter(Either<DeadLetter, ReceivedPost> r) {
        assertTrue(r.isLeft(), () -> "expected a dead letter, got " + r);
        DeadLetter d = r.left();
        assertEquals("posts", d.getSourceTopic());
        assertEquals(3, d.getSourcePartition());
        assertEquals(41L, d.getSourceOffset());
        assertEquals(FailureStage.DESERIALIZE, d.getStage());
        assertTrue(!d.getError().isBlank());
        return d;
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }
}
