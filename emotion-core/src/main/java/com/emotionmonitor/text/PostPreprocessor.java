package com.emotionmonitor.text;

import java.util.Objects;

/**
 * Raw post to {@link PreparedPost}: clean ({@link WeiboTextCleaner}) → extract topics ({@link TopicExtractor}, on the
 * whole cleaned text) → truncate to {@code maxChars} code points ({@link CodePointTruncator}; AFTER cleaning, so URLs
 * and mentions never use up the budget).
 *
 * <p>Never throws for any string. A post with nothing left after cleaning (null, {@code ""}, whitespace, a lone URL or
 * mention ...) comes back {@link PreparedPost#isEmpty() empty}: text {@code ""}, no topics. A cleaned text made only
 * of whitespace (possible: the reference's last URL pass does not strip) is reported empty as well. Otherwise the
 * text is exactly the cleaner's output, truncated: training and serving see the same characters.
 * Immutable and thread-safe.
 */
public final class PostPreprocessor {

    private static final PostPreprocessor STANDARD =
            new PostPreprocessor(WeiboTextCleaner.reference(), Preprocessing.MAX_CHARS);

    private final WeiboTextCleaner cleaner;
    private final int maxChars;

    public PostPreprocessor(WeiboTextCleaner cleaner, int maxChars) {
        this.cleaner = Objects.requireNonNull(cleaner, "cleaner");
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be >= 1: " + maxChars);
        }
        this.maxChars = maxChars;
    }

    /** The reference cleaner and {@link Preprocessing#MAX_CHARS}. */
    public static PostPreprocessor standard() {
        return STANDARD;
    }

    public PreparedPost prepare(String raw) {
        String cleaned = cleaner.clean(raw);
        if (PythonText.isBlank(cleaned)) {
            return PreparedPost.EMPTY;
        }
        return new PreparedPost(CodePointTruncator.truncate(cleaned, maxChars), TopicExtractor.extract(cleaned));
    }

    public WeiboTextCleaner cleaner() {
        return cleaner;
    }

    public int maxChars() {
        return maxChars;
    }

    /** What a model manifest records for this preprocessing. */
    public String preprocessingVersion() {
        return cleaner.preprocessingVersion();
    }
}
