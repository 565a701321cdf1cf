package com.emotionmonitor.job.io;

import com.emotionmonitor.schema.DeadLetter;
import com.emotionmonitor.schema.FailureStage;
import com.emotionmonitor.schema.SocialPost;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Builds {@link DeadLetter}s with the source coordinates and a reason a person can act on. Every dead letter is
 * bounded in size (value, key, reason), so that it always fits the producer's request size: an unbounded copy of a
 * huge poison record would fail the dead-letter sink, restart the job into the same record, and stop it for good.
 */
public final class DeadLetters {

    /** Value bytes kept in a dead letter; the whole record stays at its source coordinates. */
    static final int MAX_RAW_VALUE = 512 * 1024;
    static final int MAX_RAW_KEY = 16 * 1024;
    static final int MAX_ERROR_CHARS = 4_000;

    private DeadLetters() {}

    private static ByteBuffer bounded(byte[] bytes, int max) {
        return bytes == null ? null : ByteBuffer.wrap(bytes, 0, Math.min(bytes.length, max)).slice();
    }

    private static Integer cutSize(byte[] bytes) {
        return bytes != null && bytes.length > MAX_RAW_VALUE ? bytes.length : null;
    }

    private static String boundedReason(String reason) {
        return reason.length() <= MAX_ERROR_CHARS ? reason : reason.substring(0, MAX_ERROR_CHARS - 1) + "…";
    }

    /** A Kafka record that is not a usable SocialPost. */
    public static DeadLetter undecodable(ConsumerRecord<byte[], byte[]> record, String reason) {
        return DeadLetter.newBuilder()
                .setSourceTopic(record.topic())
                .setSourcePartition(record.partition())
                .setSourceOffset(record.offset())
                .setSourceTimestamp(record.timestamp() >= 0 ? Instant.ofEpochMilli(record.timestamp()) : null)
                .setRawKey(bounded(record.key(), MAX_RAW_KEY))
                .setRawValue(bounded(record.value(), MAX_RAW_VALUE))
                .setRawValueSize(cutSize(record.value()))
                .setPostId(null)
                .setStage(FailureStage.DESERIALIZE)
                .setError(boundedReason(reason))
                .setFailedAt(Instant.now())
                .build();
    }

    /** A decoded post that a later stage gave up on; the post is re-encoded as the raw value for replay. */
    public static DeadLetter failed(ReceivedPost received, FailureStage stage, String reason) {
        SocialPost post = received.post;
        byte[] value = new AvroCodec<>(SocialPost.class).encode(post);
        return DeadLetter.newBuilder()
                .setSourceTopic(received.topic)
                .setSourcePartition(received.partition)
                .setSourceOffset(received.offset)
                .setSourceTimestamp(null)
                .setRawKey(bounded(post.getId().getBytes(StandardCharsets.UTF_8), MAX_RAW_KEY))
                .setRawValue(bounded(value, MAX_RAW_VALUE))
                .setRawValueSize(cutSize(value))
                .setPostId(post.getId())
                .setStage(stage)
                .setError(boundedReason(reason))
                .setFailedAt(Instant.now())
                .build();
    }

    /** "ExceptionClass: message" and the root cause, if different: enough to triage without a stack trace. */
    public static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = error.getClass().getSimpleName() + ": " + error.getMessage();
        return root == error ? top : top + " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
}
