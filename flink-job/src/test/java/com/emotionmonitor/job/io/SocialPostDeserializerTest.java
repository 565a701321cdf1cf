package com.emotionmonitor.job.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.job.TestPosts;
import com.emotionmonitor.schema.DeadLetter;
import com.emotionmonitor.schema.FailureStage;
import com.emotionmonitor.schema.SocialPost;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.types.Either;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class SocialPostDeserializerTest {

    private final SocialPostDeserializer deserializer = new SocialPostDeserializer();

    private Either<DeadLetter, ReceivedPost> read(byte[] key, byte[] value) throws Exception {
        List<Either<DeadLetter, ReceivedPost>> out = new ArrayList<>();
        deserializer.deserialize(new ConsumerRecord<>("posts", 3, 41L, key, value), new ListCollector<>(out));
        assertEquals(1, out.size(), "exactly one output per record");
        return out.get(0);
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
