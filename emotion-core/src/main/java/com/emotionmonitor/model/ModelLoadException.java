package com.emotionmonitor.model;

/** A model version that must not serve: missing, incomplete, tampered, or incompatible. The message says why. */
public class ModelLoadException extends RuntimeException {

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
