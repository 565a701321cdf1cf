package com.emotionmonitor.job.model;

import com.emotionmonitor.store.ModelKey;
import com.emotionmonitor.model.BatchPredictor;
import com.emotionmonitor.text.TextPipeline;

/**
 * A hold on a loaded model version: its text pipeline (the preprocessing it was trained with), its predictor, and
 * its identity. The version stays loaded while any lease on it is open; closing the last one frees its memory.
 */
public interface ModelLease extends AutoCloseable {

    ModelKey key();

    default String modelName() {
        return key().name();
    }

    default String modelVersion() {
        return key().version();
    }

    TextPipeline textPipeline();

    /** Labels whole batches; the same weights serve every subtask of the TaskManager. */
    BatchPredictor predictor();

    /** One more hold on the same version (e.g. for one request in flight), closed independently. */
    ModelLease share();

    @Override
    void close();
}
