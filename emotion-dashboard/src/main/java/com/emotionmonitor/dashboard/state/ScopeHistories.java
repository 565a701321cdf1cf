package com.emotionmonitor.dashboard.state;

import com.emotionmonitor.schema.EmotionStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Window histories of the global scope and of at most {@code maxTopics} topic scopes, over the last {@code history}
 * of event time (counted back from the newest window end seen in any scope, so a replay of old data still shows).
 * Hashtags are unbounded; when a new topic arrives with the table full, the topic with the smallest volume in the
 * history goes: the busy topics, which are the ones listed, stay.
 */
final class ScopeHistories {

    static final String GLOBAL = "global";
    static final String TOPIC_PREFIX = "topic:";

    private final long historyMillis;
    private final int maxWindowsPerScope;
    private final int maxTopics;
    private final ScopeHistory global;
    private final Map<String, ScopeHistory> topics = new HashMap<>();
    private long newestEnd = Long.MIN_VALUE;
    private long evictedTopics;

    ScopeHistories(Duration history, int maxWindowsPerScope, int maxTopics) {
        this.historyMillis = history.toMillis();
        this.maxWindowsPerScope = maxWindowsPerScope;
        this.maxTopics = maxTopics;
        this.global = new ScopeHistory(maxWindowsPerScope);
    }

    /** @return false when the record is older than the history (ignored) */
    boolean apply(EmotionStats s) {
        long end = s.getWindowEnd().toEpochMilli();
        if (end > newestEnd) {
            newestEnd = end;
            forgetBefore(horizon());
        }
        if (end <= horizon()) {
            return false;
        }
        ScopeHistory h = s.getScope().equals(GLOBAL) ? global : topic(s.getScope());
        h.apply(s);
        return true;
    }

    private ScopeHistory topic(String scope) {
        ScopeHistory h = topics.get(scope);
        if (h == null) {
            if (topics.size() >= maxTopics) {
                topics.entrySet().stream().min(Comparator.comparingLong(e -> e.getValue().volume()))
                        .map(Map.Entry::getKey).ifPresent(topics::remove);
                evictedTopics++;
            }
            h = new ScopeHistory(maxWindowsPerScope);
            topics.put(scope, h);
        }
        return h;
    }

    private void forgetBefore(long horizon) {
        global.forgetEndingBy(horizon);
        for (Iterator<ScopeHistory> it = topics.values().iterator(); it.hasNext(); ) {
            ScopeHistory h = it.next();
            h.forgetEndingBy(horizon);
            if (h.isEmpty()) {
                it.remove();
            }
        }
    }

    /** Windows ending at or before this are out of the history. */
    long horizon() {
        return newestEnd == Long.MIN_VALUE ? Long.MIN_VALUE : newestEnd - historyMillis;
    }

    long newestEnd() {
        return newestEnd;
    }

    /** The scope's windows in the history, oldest first (empty for an unknown scope). */
    List<Snapshot.Window> windows(String scope) {
        ScopeHistory h = scope.equals(GLOBAL) ? global : topics.get(scope);
        return h == null ? List.of() : h.windowsAfter(horizon());
    }

    /** The {@code n} topics with the most posts in the history, busiest first. */
    List<Snapshot.Topic> topTopics(int n) {
        List<Snapshot.Topic> out = new ArrayList<>();
        topics.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, ScopeHistory>>comparingLong(e -> e.getValue().volume()).reversed()
                        .thenComparing(Map.Entry::getKey))
                .limit(n)
                .forEach(e -> out.add(new Snapshot.Topic(e.getKey(), topicName(e.getKey()), e.getValue().volume())));
        return out;
    }

    private static String topicName(String scope) {
        return scope.startsWith(TOPIC_PREFIX) ? scope.substring(TOPIC_PREFIX.length()) : scope;
    }

    int topicCount() {
        return topics.size();
    }

    long evictedTopics() {
        return evictedTopics;
    }

    /** Windows held in all scopes: what bounds this part of the memory. */
    long windowsHeld() {
        long n = global.windowCount();
        for (ScopeHistory h : topics.values()) {
            n += h.windowCount();
        }
        return n;
    }
}
