package com.emotionmonitor.model;

import com.emotionmonitor.text.Encoding;
import java.util.List;

/**
 * Classifies a batch of tokenized posts in one forward pass. Implementations pad the batch to its
 * longest member; callers (the micro-batcher) decide which posts share a batch.
 */
public interface BatchPredictor {

    /** One prediction per encoding, in the same order. */
    List<Prediction> predict(List<Encoding> batch);
}
