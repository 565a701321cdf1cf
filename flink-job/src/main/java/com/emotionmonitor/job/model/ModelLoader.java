package com.emotionmonitor.job.model;

import com.emotionmonitor.store.ClassifierRequirements;
import com.emotionmonitor.model.ModelLoadException;

/** Loads and verifies one model version; runs on the registry's background thread, never on a task thread. */
@FunctionalInterface
public interface ModelLoader {

    /** @throws ModelLoadException with the reason the version must not serve */
    LoadedModel load(ModelTarget target, ClassifierRequirements requirements);
}
