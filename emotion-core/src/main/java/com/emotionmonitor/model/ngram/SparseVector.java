package com.emotionmonitor.model.ngram;

/**
 * A post's feature vector: strictly increasing bucket indices and their values, parallel arrays of
 * equal length.
 */
public record SparseVector(int[] indices, float[] values) {

    public static final SparseVector EMPTY = new SparseVector(new int[0], new float[0]);

    public SparseVector {
        if (indices.length != values.length) {
            throw new IllegalArgumentException("indices and values differ in length: " + indices.length + " vs " + values.length);
        }
    }

    public int size() {
        return indices.length;
    }

    public double norm() {
        double s = 0;
        for (float v : values) {
            s += (double) v * v;
        }
        return Math.sqrt(s);
    }
}
