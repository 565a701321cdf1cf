package com.emotionmonitor.job.model;

import com.emotionmonitor.model.BatchPredictor;
import com.emotionmonitor.text.TextPipeline;

/**
 * One operator's hold on a loaded model version: its text pipeline (the preprocessing it was trained with), its
 * predictor, and its identity. Closing releases the hold; the model is unloaded when its last lease closes.
 */
public interface ModelLease extends AutoCloseable {

    String modelName();

    String modelVersion();

    TextPipeline textPipeline();

    /** Labels whole batches; the same weights may serve several subtasks of one TaskManager. */
    BatchPredictor predictor();

    @Override
    void close();
}
