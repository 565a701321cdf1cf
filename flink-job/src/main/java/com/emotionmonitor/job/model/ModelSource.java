package com.emotionmonitor.job.model;

import com.emotionmonitor.store.ModelKey;
import com.emotionmonitor.schema.ModelTrigger;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * Where the job's operators get their models: serialized into the job graph, used on the TaskManagers. It names the
 * version the job starts with (a job restored from a checkpoint serves what its state says instead), finds the
 * directory of any other version, and gives the TaskManager's {@link ModelRegistry} and {@link DeviceBatcher}.
 */
public interface ModelSource extends Serializable {

    /** Name of the model the job starts with. */
    String modelName();

    /** The version the job starts with. */
    String modelVersion();

    /** The version the job starts with, as a target for the registry. */
    ModelTarget startTarget();

    /**
     * The directory of a version named by a command or a record stamp.
     *
     * @param artifactLocation the command's {@code artifact_location}: a {@code file:} URI or a path (relative paths
     *     are inside the model store); blank = {@code <store>/<name>/<version>}
     * @throws IllegalArgumentException for a location the TaskManagers cannot read (another URI scheme)
     */
    Path locate(ModelKey key, String artifactLocation);

    /** The registry of the TaskManager this runs on: the model versions loaded in this JVM. */
    ModelRegistry registry();

    /** What a model command must satisfy (location, pinned sha256, signature); by default nothing (test sources). */
    default ModelTrust trust() {
        return ModelTrust.NONE;
    }

    /** The micro-batcher of this TaskManager's device, shared by its classify subtasks. */
    default DeviceBatcher batcher() {
        return DeviceBatcher.shared();
    }

    /**
     * The target that loads a record's stamped version on demand (records restored from a checkpoint after a swap):
     * the last command seen for it, or its place in the store.
     */
    default ModelTarget restoreTarget(ModelKey key) {
        ModelTarget known = registry().lastKnown(key);
        return known != null ? known.withTrigger(ModelTrigger.RESTORE)
                : new ModelTarget(-1, key.name(), key.version(), locate(key, null).toString(), null, ModelTrigger.RESTORE, null);
    }
}
