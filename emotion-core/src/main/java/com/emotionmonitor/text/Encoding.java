package com.emotionmonitor.text;

import java.util.Arrays;

/**
 * A tokenized post: {@code [CLS] ... [SEP]} ids, unpadded. Padding (and the attention mask that goes
 * with it) happens per batch, to the longest member of that batch.
 */
public record Encoding(int[] ids) {

    public int length() {
        return ids.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Encoding e && Arrays.equals(e.ids, ids);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
        return "Encoding" + Arrays.toString(ids);
    }
}
