package com.emotionmonitor.job.ops;

import com.emotionmonitor.job.io.ReceivedPost;
import com.emotionmonitor.store.ModelKey;
import com.emotionmonitor.text.PreparedText;
import com.emotionmonitor.text.TextPipeline;

/**
 * Clean (Weibo rules) -> extract #topics# -> tokenize, with the text pipeline of the model version that will label
 * the post, so serving preprocesses exactly as that version's training did; the result is stamped with the version.
 * An empty result is not an error: it is flagged {@code emptyText} (labelled NEUTRAL by rule downstream).
 */
final class PostPreparation {

    private PostPreparation() {}

    /** @throws RuntimeException when the pipeline throws on this text (the caller dead-letters the post) */
    static PostToClassify prepare(ReceivedPost received, TextPipeline pipeline, ModelKey model) {
        PreparedText prepared = pipeline.prepare(received.post.getText());
        return new PostToClassify(
                received,
                prepared.isEmpty() ? new int[0] : prepared.encoding().ids(),
                prepared.topics().toArray(String[]::new),
                prepared.isEmpty(),
                model.name(),
                model.version());
    }

    /** Adds the shadow version's own preparation of the same text to {@code stamped}. */
    static void addShadow(PostToClassify stamped, TextPipeline pipeline, ModelKey shadow) {
        PreparedText prepared = pipeline.prepare(stamped.received.post.getText());
        stamped.shadowTokenIds = prepared.isEmpty() ? new int[0] : prepared.encoding().ids();
        stamped.shadowEmptyText = prepared.isEmpty();
        stamped.shadowModelName = shadow.name();
        stamped.shadowModelVersion = shadow.version();
    }
}
