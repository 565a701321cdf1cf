package com.emotionmonitor.job.model;

import java.io.Serializable;

/**
 * Where operators get the model that must label their records: serialized into the job graph, resolved in
 * {@code open()} on the TaskManager. This is the seam the hot-swap issue replaces with broadcast state: records are
 * stamped with {@link #modelVersion()} and the classifier refuses a stamp it has not loaded.
 */
public interface ModelSource extends Serializable {

    /** Name of the model, known at graph-build time. */
    String modelName();

    /** The version records are stamped with, known at graph-build time. */
    String modelVersion();

    /** Loads (or shares an already loaded copy of) the model; the caller closes the lease. */
    ModelLease acquire() throws Exception;
}
