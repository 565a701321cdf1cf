package com.emotionmonitor.job.drift;

import java.io.Serializable;

/** Where the stats windows find a model version's reference label shares (its training data's mix). */
@FunctionalInterface
public interface DriftReference extends Serializable {

    /** No reference for any version: windows carry no drift figure. */
    DriftReference NONE = (name, version) -> null;

    /**
     * The version's reference shares in Emotion order, or null when it records none (an old manifest) or cannot be
     * read. Called when a window fires, from the window operator's thread.
     */
    double[] shares(String modelName, String modelVersion);
}
