package com.emotionmonitor.job.ops;

import com.emotionmonitor.job.io.DeadLetters;
import com.emotionmonitor.job.io.ReceivedPost;
import com.emotionmonitor.job.model.ModelLease;
import com.emotionmonitor.job.model.ModelSource;
import com.emotionmonitor.schema.FailureStage;
import com.emotionmonitor.text.PreparedText;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Clean (Weibo rules) -> extract #topics# -> tokenize, with the text pipeline of the model that will label the post,
 * so serving preprocesses exactly as training did. Stamps each post with that model's version. A post the pipeline
 * throws on goes to {@link SplitDeadLetters#DEAD_LETTERS} with the reason; an empty result is not an error but
 * flagged {@code emptyText}.
 */
public final class PostPreprocessFunction extends ProcessFunction<ReceivedPost, PostToClassify> {

    private static final long serialVersionUID = 1L;

    private final ModelSource modelSource;
    private transient ModelLease lease;
    private transient Counter emptyPosts;

    public PostPreprocessFunction(ModelSource modelSource) {
        this.modelSource = modelSource;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        lease = modelSource.acquire();
        emptyPosts = getRuntimeContext().getMetricGroup().counter("emptyPosts");
    }

    @Override
    public void processElement(ReceivedPost received, Context ctx, Collector<PostToClassify> out) {
        PreparedText prepared;
        try {
            prepared = lease.textPipeline().prepare(received.post.getText());
        } catch (RuntimeException e) {
            ctx.output(SplitDeadLetters.DEAD_LETTERS, DeadLetters.failed(received, FailureStage.PREPROCESS,
                    "text pipeline failed: " + DeadLetters.describe(e)));
            return;
        }
        if (prepared.isEmpty()) {
            emptyPosts.inc();
        }
        out.collect(new PostToClassify(
                received,
                prepared.isEmpty() ? new int[0] : prepared.encoding().ids(),
                prepared.topics().toArray(String[]::new),
                prepared.isEmpty(),
                modelSource.modelVersion()));
    }

    @Override
    public void close() {
        if (lease != null) {
            lease.close();
            lease = null;
        }
    }
}
