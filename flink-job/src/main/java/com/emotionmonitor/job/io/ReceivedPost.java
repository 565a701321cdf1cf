package com.emotionmonitor.job.io;

import com.emotionmonitor.schema.SocialPost;
import java.util.Objects;

/**
 * A decoded post with the Kafka coordinates it was read from, so any later stage can dead-letter it with its
 * source topic/partition/offset. A Flink POJO (public fields, no-arg constructor).
 */
public class ReceivedPost {

    public SocialPost post;
    public String topic;
    public int partition;
    public long offset;

    public ReceivedPost() {}

    public ReceivedPost(SocialPost post, String topic, int partition, long offset) {
        this.post = post;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReceivedPost r && r.partition == partition && r.offset == offset
                && Objects.equals(r.topic, topic) && Objects.equals(r.post, post);
    }

    @Override
    public int hashCode() {
        return Objects.hash(post, topic, partition, offset);
    }

    @Override
    public String toString() {
        return "ReceivedPost[" + topic + "-" + partition + "@" + offset + " " + (post == null ? null : post.getId()) + "]";
    }
}
