package com.emotionmonitor.job.model;

import com.emotionmonitor.model.BatchPredictor;
import com.emotionmonitor.store.ModelManifest;
import com.emotionmonitor.text.TextPipeline;

/** A verified model version in memory: what the registry holds once per TaskManager. Closing frees its native memory. */
public interface LoadedModel extends AutoCloseable {

    ModelManifest manifest();

    /** Hex SHA-256 of the manifest.json it was loaded from (a command may pin it). */
    String manifestSha256();

    /** The cleaning and tokenization the version was trained with. */
    TextPipeline textPipeline();

    BatchPredictor predictor();

    @Override
    void close();
}
