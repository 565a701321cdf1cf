package com.emotionmonitor.train.ngram;

import com.emotionmonitor.model.ngram.SparseVector;

import java.util.Arrays;
import java.util.List;

/**
 * Training posts' feature vectors as one compressed-sparse-row matrix over compact columns: only the
 * buckets some post uses get a column, so the optimiser's vectors scale with the features seen, not
 * with 2^hashBits.
 */
final class FeatureMatrix {

    final int rows;
    final int columns;
    final int[] rowStart;
    final int[] cols;
    final float[] vals;
    /** Compact column -> hash bucket. */
    final int[] bucketOfColumn;

    private FeatureMatrix(int rows, int[] rowStart, int[] cols, float[] vals, int[] bucketOfColumn) {
        this.rows = rows;
        this.columns = bucketOfColumn.length;
        this.rowStart = rowStart;
        this.cols = cols;
        this.vals = vals;
        this.bucketOfColumn = bucketOfColumn;
    }

    static FeatureMatrix of(List<SparseVector> vectors, int buckets) {
        int[] columnOfBucket = new int[buckets];
        Arrays.fill(columnOfBucket, -1);
        long nnz = 0;
        for (SparseVector v : vectors) {
            nnz += v.size();
            for (int b : v.indices()) {
                columnOfBucket[b] = 0;
            }
        }
        int columns = 0;
        for (int b = 0; b < buckets; b++) {
            if (columnOfBucket[b] == 0) {
                columnOfBucket[b] = columns++;
            }
        }
        int[] bucketOfColumn = new int[columns];
        for (int b = 0; b < buckets; b++) {
            if (columnOfBucket[b] >= 0) {
                bucketOfColumn[columnOfBucket[b]] = b;
            }
        }
        int[] rowStart = new int[vectors.size() + 1];
        int[] cols = new int[Math.toIntExact(nnz)];
        float[] vals = new float[cols.length];
        int k = 0;
        for (int r = 0; r < vectors.size(); r++) {
            SparseVector v = vectors.get(r);
            rowStart[r] = k;
            for (int j = 0; j < v.size(); j++) {
                cols[k] = columnOfBucket[v.indices()[j]];
                vals[k] = v.values()[j];
                k++;
            }
        }
        rowStart[vectors.size()] = k;
        return new FeatureMatrix(vectors.size(), rowStart, cols, vals, bucketOfColumn);
    }

    long nonZeros() {
        return cols.length;
    }
}
