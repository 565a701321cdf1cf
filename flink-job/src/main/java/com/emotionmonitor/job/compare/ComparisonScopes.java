package com.emotionmonitor.job.compare;

import com.emotionmonitor.job.ops.ClassifiedPost;
import com.emotionmonitor.job.ops.Scopes;
import com.emotionmonitor.schema.EmotionEvent;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** A shadowed post's two labels, once per stats scope of its event (global, and each #topic#). */
public final class ComparisonScopes implements FlatMapFunction<ClassifiedPost, ScopedComparison> {

    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(ClassifiedPost post, Collector<ScopedComparison> out) {
        EmotionEvent e = post.event;
        for (String scope : Scopes.of(e)) {
            out.collect(new ScopedComparison(scope, e.getModelName(), e.getModelVersion(), post.shadow.modelName,
                    post.shadow.modelVersion, e.getPostId(), e.getEmotion().ordinal(), e.getConfidence(), post.shadow.emotion,
                    post.shadow.confidence));
        }
    }
}
