package com.emotionmonitor.job.io;

import com.emotionmonitor.schema.DeadLetter;
import com.emotionmonitor.schema.FailureStage;
import com.emotionmonitor.schema.SocialPost;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Builds {@link DeadLetter}s with the source coordinates and a reason a person can act on. */
public final class DeadLetters {

    private DeadLetters() {}

    /** A Kafka record that is not a usable SocialPost. */
    public static DeadLetter undecodable(ConsumerRecord<byte[], byte[]> record, String reason) {
        return DeadLetter.newBuilder()
                .setSourceTopic(record.topic())
                .setSourcePartition(record.partition())
                .setSourceOffset(record.offset())
                .setSourceTimestamp(record.timestamp() >= 0 ? Instant.ofEpochMilli(record.timestamp()) : null)
                .setRawKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setRawValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                .setPostId(null)
                .setStage(FailureStage.DESERIALIZE)
                .setError(reason)
                .setFailedAt(Instant.now())
                .build();
    }

    /** A decoded post that a later stage gave up on; the post is re-encoded as the raw value for replay. */
    public static DeadLetter failed(ReceivedPost received, FailureStage stage, String reason) {
        SocialPost post = received.post;
        return DeadLetter.newBuilder()
                .setSourceTopic(received.topic)
                .setSourcePartition(received.partition)
                .setSourceOffset(received.offset)
                .setSourceTimestamp(null)
                .setRawKey(ByteBuffer.wrap(post.getId().getBytes(StandardCharsets.UTF_8)))
                .setRawValue(ByteBuffer.wrap(new AvroCodec<>(SocialPost.class).encode(post)))
                .setPostId(post.getId())
                .setStage(stage)
                .setError(reason)
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
