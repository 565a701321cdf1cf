package com.emotionmonitor.dashboard.state;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The texts of the most recent posts read from the posts topic, so that an alert's example ids can be shown as what
 * people wrote: the job keeps only ids in its windows. Bounded: the newest {@code maxPosts} posts, each text cut to
 * {@link #MAX_CODE_POINTS}. At the defaults (100,000 posts) it spans 100 s of a 1,000 posts/s stream, more than one
 * window (1 min) plus the out-of-orderness and a checkpoint, the time between a post and the alert that names it.
 * Also keeps each post's Kafka record timestamp, the start of its end-to-end latency.
 */
final class PostTexts {

    /** Weibo posts are at most 140 characters of their own; a repost chain can be far longer. */
    static final int MAX_CODE_POINTS = 200;

    record Post(String text, long recordTimestamp) {}

    private final LinkedHashMap<String, Post> posts;

    PostTexts(int maxPosts) {
        this.posts = new LinkedHashMap<>(Math.min(maxPosts, 1 << 16), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Post> eldest) {
                return size() > maxPosts;
            }
        };
    }

    void put(String id, String text, long recordTimestamp) {
        posts.put(id, new Post(cut(text), recordTimestamp));
    }

    Post get(String id) {
        return posts.get(id);
    }

    int size() {
        return posts.size();
    }

    static String cut(String text) {
        if (text == null) {
            return "";
        }
        if (text.codePointCount(0, text.length()) <= MAX_CODE_POINTS) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, MAX_CODE_POINTS)) + "…";
    }
}
