package com.emotionmonitor.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.emotionmonitor.model.ModelShapes;
import com.emotionmonitor.model.nn.EmotionClassifierBlock;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/** For tests: a start's or a block's weights by parameter path, without DJL's child positions ({@link LowerLayers#path}). */
public final class StartWeights {

    private StartWeights() {}

    /** The start's weights as loaded into a fresh classifier of its architecture. */
    public static Map<String, float[]> of(StartingPoint start) throws IOException {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            EmotionClassifierBlock block = new EmotionClassifierBlock(start.architecture());
            block.initialize(manager, DataType.FLOAT32, ModelShapes.classifierInputs());
            start.loadInto(block, manager);
            return of(block);
        }
    }

    public static Map<String, float[]> of(Block block) {
        Map<String, float[]> out = new TreeMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            out.put(LowerLayers.path(p.getKey()), p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    /** How many of {@code weights} belong to encoder layer {@code layer} ({@code "layer1"}). */
    public static int inLayer(Map<String, float[]> weights, String layer) {
        return (int) weights.keySet().stream().filter(k -> k.startsWith("encoder_" + layer + "_")).count();
    }
}
