package com.emotionmonitor.train.hf;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/** The named tensors of one checkpoint weight file, read one at a time as float32 (the file stays open until closed). */
public interface TensorSource extends AutoCloseable {

    /** The file, for messages. */
    String describe();

    Set<String> names();

    /**
     * The name the file itself uses for a tensor (or would, for one it lacks), for messages: the same name, except for
     * a TensorFlow checkpoint read under Hugging Face's names.
     */
    default String originalName(String name) {
        return name;
    }

    /** Tensors of the file left out of {@link #names()} because they are not model (a TensorFlow optimizer's slots). */
    default List<String> ignored() {
        return List.of();
    }

    /** The tensor's dimensions; throws for a name not in {@link #names()}. */
    long[] shape(String name);

    /** The tensor's values in row-major order, widened to float32; refuses a non-floating-point tensor by name. */
    float[] floats(String name) throws IOException;

    @Override
    void close() throws IOException;
}
