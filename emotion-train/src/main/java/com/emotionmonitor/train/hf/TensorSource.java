package com.emotionmonitor.train.hf;

import java.io.IOException;
import java.util.Set;

/** The named tensors of one checkpoint weight file, read one at a time as float32 (the file stays open until closed). */
public interface TensorSource extends AutoCloseable {

    /** The file, for messages. */
    String describe();

    Set<String> names();

    /** The tensor's dimensions; throws for a name not in {@link #names()}. */
    long[] shape(String name);

    /** The tensor's values in row-major order, widened to float32; refuses a non-floating-point tensor by name. */
    float[] floats(String name) throws IOException;

    @Override
    void close() throws IOException;
}
