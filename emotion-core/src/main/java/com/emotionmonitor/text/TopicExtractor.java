package com.emotionmonitor.text;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code #话题#} topics of a post, keys for per-topic statistics.
 *
 * <p>Give it CLEANED text ({@link WeiboTextCleaner#clean}): topics then come out normalised exactly as the model sees
 * them (full-width ＃ folded to #, lower case, traditional to simplified, whitespace collapsed), so {@code #ＡＢ话题#}
 * and {@code #ab话题#} count as one topic. Each topic is stripped of surrounding whitespace; blank ones and ones longer
 * than {@link #MAX_TOPIC_CODE_POINTS} (a stray {@code #} pairing with a far one, not a topic) are skipped, and the
 * closing {@code #} of a skipped candidate may open the next topic. Duplicates are dropped, first-seen order is kept,
 * at most {@link #MAX_TOPICS} are returned.
 */
public final class TopicExtractor {

    /**
     * Longest topic kept, in code points. Real topics in the SMP data run up to 36 (hot-search sentences such as
     * {@code #霸气!肺炎患者看病费用怎么算?武汉卫健委强势发声:政府全买单#}); longer candidates there are spam text caught
     * between stray {@code #}.
     */
    public static final int MAX_TOPIC_CODE_POINTS = 40;

    /** Most topics kept per post (bounds state and output for spammy posts). */
    public static final int MAX_TOPICS = 10;

    private static final char HASH = '#';

    private TopicExtractor() {}

    public static List<String> extract(String text) {
        if (text == null) {
            return List.of();
        }
        int open = text.indexOf(HASH);
        if (open < 0) {
            return List.of();
        }
        Set<String> topics = new LinkedHashSet<>();
        while (open >= 0 && topics.size() < MAX_TOPICS) {
            int close = text.indexOf(HASH, open + 1);
            if (close < 0) {
                break;
            }
            String topic = PythonText.strip(text.substring(open + 1, close));
            boolean valid = !topic.isEmpty()
                    && topic.codePointCount(0, topic.length()) <= MAX_TOPIC_CODE_POINTS;
            if (valid) {
                topics.add(topic);
                open = text.indexOf(HASH, close + 1);
            } else {
                open = close;
            }
        }
        return List.copyOf(topics);
    }
}
