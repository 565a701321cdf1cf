package com.emotionmonitor.store;

import java.io.Serializable;

/** A model version's identity, {@code name/version}: what records are stamped with and what the registry loads. */
public record ModelKey(String name, String version) implements Serializable {

    public ModelKey {
        if (name == null || name.isBlank() || version == null || version.isBlank()) {
            throw new IllegalArgumentException("a model key needs a name and a version, got '" + name + "/" + version + "'");
        }
    }

    /** {@code name/version}; neither part can contain '/', both are directory names in the model store. */
    public String id() {
        return name + "/" + version;
    }

    @Override
    public String toString() {
        return id();
    }
}
