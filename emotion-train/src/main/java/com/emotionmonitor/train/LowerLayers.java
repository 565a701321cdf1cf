package com.emotionmonitor.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Copies a deeper block's parameters into a shallower one of the same width: each parameter of the target takes the
 * source's parameter of the same path ({@code encoder/layer1/qkv/weight}). DJL prefixes every child's name with its
 * position ({@code 03layer1}), and a pre-LN encoder's final norm comes after its layers, so names are compared without
 * those positions.
 */
final class LowerLayers {

    private static final Pattern POSITION = Pattern.compile("(^|_)\\d{2}");

    private LowerLayers() {}

    /** @throws IllegalArgumentException when a target parameter has no counterpart of the same shape in {@code from} */
    static void copy(Block from, Block to) {
        Map<String, NDArray> source = new HashMap<>();
        for (Pair<String, Parameter> p : from.getParameters()) {
            source.put(path(p.getKey()), p.getValue().getArray());
        }
        for (Pair<String, Parameter> p : to.getParameters()) {
            NDArray target = p.getValue().getArray();
            String path = path(p.getKey());
            NDArray s = source.get(path);
            if (s == null || !s.getShape().equals(target.getShape())) {
                throw new IllegalArgumentException("cannot start " + path + " " + target.getShape() + " from the deeper start: "
                        + (s == null ? "it has none" : "there it is " + s.getShape()));
            }
            target.set(s.toFloatArray());
        }
    }

    /** {@code 01encoder_03layer1_02qkv_weight} -> {@code encoder_layer1_qkv_weight}. */
    static String path(String parameterName) {
        return POSITION.matcher(parameterName).replaceAll("$1");
    }
}
