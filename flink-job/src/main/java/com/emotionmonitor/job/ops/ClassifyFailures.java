package com.emotionmonitor.job.ops;

import com.emotionmonitor.job.io.DeadLetters;
import com.emotionmonitor.store.ModelKey;
import com.emotionmonitor.schema.DeadLetter;
import com.emotionmonitor.schema.FailureStage;

/** The classify stage's dead letters, one wording for both classify modes (batched and per-record). */
final class ClassifyFailures {

    private ClassifyFailures() {}

    static DeadLetter noValidStamp(PostToClassify post, IllegalArgumentException e) {
        return DeadLetters.failed(post.received, FailureStage.CLASSIFY, "post carries no valid model stamp: " + e.getMessage());
    }

    static DeadLetter cannotLoad(PostToClassify post, ModelKey key, Throwable error) {
        return DeadLetters.failed(post.received, FailureStage.CLASSIFY,
                "post is stamped for model " + key + ", which cannot be loaded here: " + DeadLetters.describe(error));
    }

    static DeadLetter modelFailed(PostToClassify post, ModelKey key, Throwable error) {
        return DeadLetters.failed(post.received, FailureStage.CLASSIFY, "model " + key + " failed: " + DeadLetters.describe(error));
    }
}
