package com.emotionmonitor.model;

import ai.djl.ndarray.types.Shape;

/** Placeholder shapes that initialise the blocks (the real batch and length vary per call). */
public final class ModelShapes {

    private ModelShapes() {}

    public static Shape[] classifierInputs() {
        return new Shape[] {new Shape(1, 4), new Shape(1, 4), new Shape(4), new Shape(1, 1, 1, 4)};
    }

    public static Shape[] maskedLmInputs() {
        return new Shape[] {new Shape(2, 8), new Shape(2, 8), new Shape(8), new Shape(2, 1, 1, 8), new Shape(3)};
    }
}
