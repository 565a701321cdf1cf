package com.emotionmonitor.job;

import com.emotionmonitor.job.io.AvroCodec;
import com.emotionmonitor.job.io.ReceivedPost;
import com.emotionmonitor.job.ops.PostToClassify;
import com.emotionmonitor.schema.SocialPost;
import java.time.Instant;
import java.util.Map;

/** Small builders for test posts. */
public final class TestPosts {

    private TestPosts() {}

    public static SocialPost post(String id, String text, long createdAtMillis) {
        return SocialPost.newBuilder()
                .setId(id)
                .setText(text)
                .setCreatedAt(Instant.ofEpochMilli(createdAtMillis))
                .setAuthorId(null)
                .setSource(Map.of("dataset", "test"))
                .build();
    }

    public static byte[] bytes(SocialPost post) {
        return new AvroCodec<>(SocialPost.class).encode(post);
    }

    public static ReceivedPost received(String id, String text, long offset) {
        return new ReceivedPost(post(id, text, 1_000L), "posts", 0, offset);
    }

    /** Stamped for {@code test-model/<modelVersion>}. */
    public static PostToClassify toClassify(String id, int[] tokens, String modelVersion, String... topics) {
        return new PostToClassify(received(id, "text of " + id, 7), tokens, topics, tokens.length == 0, "test-model", modelVersion);
    }
}
