package com.emotionmonitor.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The feed-forward activation of a post-LN encoder, named in the manifest's architecture ({@code hiddenAct}; absent:
 * {@link #GELU}). Google's TensorFlow BERT ({@code modeling.py}'s {@code gelu}, and every TF-Hub module exported from
 * it) computes the tanh approximation; Hugging Face's {@code "gelu"} is the exact one. The two differ by up to 2e-4 in
 * the logits of a two-layer model, so a TensorFlow checkpoint is served with the activation it was trained with.
 */
public enum HiddenActivation {

    /** {@code x Φ(x)} with the exact normal CDF (erf): Hugging Face's {@code "gelu"}, and our own encoders. */
    GELU("gelu"),

    /**
     * {@code 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))}: Google's TensorFlow BERT, Hugging Face's {@code "gelu_new"}
     * and {@code "gelu_pytorch_tanh"}.
     */
    GELU_TANH("gelu-tanh");

    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    private final String id;

    HiddenActivation(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    /** @throws IllegalArgumentException naming the known activations */
    @JsonCreator
    public static HiddenActivation of(String id) {
        for (HiddenActivation a : values()) {
            if (a.id.equals(id)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown hidden activation '" + id + "': this build knows gelu and gelu-tanh");
    }

    public NDArray apply(NDArray x) {
        if (this == GELU) {
            return Activation.gelu(x);
        }
        NDArray inner = x.pow(3).mul(0.044715).add(x).mul(SQRT_2_OVER_PI).tanh().add(1);
        return x.mul(inner).mul(0.5);
    }

    /** Jackson's filter that leaves the default out of a manifest, so existing versions read exactly as they did. */
    public static final class DefaultFilter {
        @Override
        public boolean equals(Object value) {
            return value == null || value == GELU;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }
}
