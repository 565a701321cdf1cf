package com.emotionmonitor.job.io;

import com.emotionmonitor.schema.SocialPost;
import java.util.Objects;

/**
 * A decoded post with the Kafka coordinates it was read from, so any later stage can dead-letter it with its
 * source topic/partition/offset, and the event time the job gave it. A Flink POJO (public fields, no-arg constructor).
 */
public class ReceivedPost {

    public SocialPost post;
    public String topic;
    public int partition;
    public long offset;
    /**
     * The event time of the post: {@code created_at}, unless the event-time policy replaced it
     * ({@link com.emotionmonitor.job.time.EventTimePolicy}); then it differs from {@code created_at}.
     */
    public long eventTime;
    /** A string of the post was not valid UTF-8 on the wire (read with U+FFFD in place of the bad bytes). */
    public boolean invalidUtf8;

    public ReceivedPost() {}

    /** A post whose event time is its {@code created_at}. */
    public ReceivedPost(SocialPost post, String topic, int partition, long offset) {
        this(post, topic, partition, offset, post.getCreatedAt().toEpochMilli(), false);
    }

    public ReceivedPost(SocialPost post, String topic, int partition, long offset, long eventTime, boolean invalidUtf8) {
        this.post = post;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.eventTime = eventTime;
        this.invalidUtf8 = invalidUtf8;
    }

    /** True when the event-time policy replaced the post's {@code created_at}. */
    public boolean eventTimeAdjusted() {
        return eventTime != post.getCreatedAt().toEpochMilli();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReceivedPost r && r.partition == partition && r.offset == offset && r.eventTime == eventTime
                && r.invalidUtf8 == invalidUtf8 && Objects.equals(r.topic, topic) && Objects.equals(r.post, post);
    }

    @Override
    public int hashCode() {
        return Objects.hash(post, topic, partition, offset, eventTime, invalidUtf8);
    }

    @Override
    public String toString() {
        return "ReceivedPost[" + topic + "-" + partition + "@" + offset + " " + (post == null ? null : post.getId()) + "]";
    }
}
