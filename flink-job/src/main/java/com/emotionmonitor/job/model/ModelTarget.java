package com.emotionmonitor.job.model;

import com.emotionmonitor.store.ModelKey;
import com.emotionmonitor.schema.ModelTrigger;
import java.util.Objects;

/**
 * A model version the router was told to serve: which one, where its directory is, the manifest checksum the command
 * pinned, and why. Kept in the router's broadcast state (a Flink POJO: public fields, no-arg constructor), so the
 * history of commands survives checkpoints and savepoints.
 */
public class ModelTarget {

    /** Order of arrival on the model-control stream (0 = the version the job started with). */
    public long sequence;
    public String modelName;
    public String version;
    /** Absolute path of the version directory. */
    public String location;
    /** Hex SHA-256 of manifest.json the command requires; null or empty = not pinned (the job's own start version). */
    public String manifestSha256;
    public ModelTrigger trigger;
    /** ModelCommand.issued_at in epoch millis; null for the start version. */
    public Long issuedAtMillis;

    public ModelTarget() {}

    public ModelTarget(long sequence, String modelName, String version, String location, String manifestSha256,
                       ModelTrigger trigger, Long issuedAtMillis) {
        this.sequence = sequence;
        this.modelName = modelName;
        this.version = version;
        this.location = location;
        this.manifestSha256 = manifestSha256;
        this.trigger = trigger;
        this.issuedAtMillis = issuedAtMillis;
    }

    public ModelKey key() {
        return new ModelKey(modelName, version);
    }

    /** The same version with another trigger (a restored target is served because of the restore). */
    public ModelTarget withTrigger(ModelTrigger newTrigger) {
        return new ModelTarget(sequence, modelName, version, location, manifestSha256, newTrigger, issuedAtMillis);
    }

    public ModelTarget withSequence(long newSequence) {
        return new ModelTarget(newSequence, modelName, version, location, manifestSha256, trigger, issuedAtMillis);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelTarget t && t.sequence == sequence && Objects.equals(t.modelName, modelName)
                && Objects.equals(t.version, version) && Objects.equals(t.location, location)
                && Objects.equals(t.manifestSha256, manifestSha256) && t.trigger == trigger
                && Objects.equals(t.issuedAtMillis, issuedAtMillis);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sequence, modelName, version, location, manifestSha256, trigger, issuedAtMillis);
    }

    @Override
    public String toString() {
        return trigger + " " + modelName + "/" + version + " (#" + sequence + ", " + location + ")";
    }
}
