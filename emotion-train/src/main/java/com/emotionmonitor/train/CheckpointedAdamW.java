package com.emotionmonitor.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import ai.djl.training.optimizer.Optimizer;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * AdamW (decoupled weight decay, bias-corrected moments, element-wise gradient clipping) whose state can be saved and
 * restored, so that a resumed run continues exactly where it stopped. DJL's own Adam keeps its moments private; a run
 * resumed without them would take different steps than one that never stopped.
 *
 * <p>The moments are kept per parameter <em>name</em> (DJL's parameter ids are random per run), through
 * {@code idToName}, the block's parameter names by id. Unlike DJL's fused updates it does not reset the gradients
 * (it is handed a copy): the training loop zeroes them before each step, or PyTorch would accumulate them.
 */
public final class CheckpointedAdamW extends Optimizer {

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final IntFunction<Float> learningRate;
    private final Map<String, String> idToName;
    private final float weightDecay;
    private final Map<String, NDArray> means = new HashMap<>();
    private final Map<String, NDArray> variances = new HashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();
    private Map<String, float[][]> restored = Map.of();

    /**
     * @param learningRate the learning rate of the t-th update (1-based) of a parameter
     * @param idToName parameter id -> name, for every trained parameter
     */
    private CheckpointedAdamW(IntFunction<Float> learningRate, Map<String, String> idToName, float weightDecay, float clipGrad) {
        super(new Builder().optClipGrad(clipGrad));
        this.learningRate = learningRate;
        this.idToName = Map.copyOf(idToName);
        this.weightDecay = weightDecay;
    }

    /** The optimizer for {@code block}'s parameters (the moments are kept by their names). */
    public static CheckpointedAdamW forBlock(ai.djl.nn.Block block, IntFunction<Float> learningRate, float weightDecay,
            float clipGrad) {
        Map<String, String> idToName = new HashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            idToName.put(p.getValue().getId(), p.getKey());
        }
        return new CheckpointedAdamW(learningRate, idToName, weightDecay, clipGrad);
    }

    /**
     * PyTorch accumulates gradients: each step starts from zero, as a resumed one does. Not
     * {@code GradientCollector.zeroGradients()}: it walks every array of the engine and leaves two unclosed handles on
     * each gradient per step, and a gradient with live handles is replaced rather than accumulated into by the next
     * backward pass, so every step leaked a copy of all gradients (about 50 MB/s for the L4 student: out of memory in
     * minutes). Here each handle is closed at once.
     */
    public static void zeroGradients(Trainer trainer) {
        for (Pair<String, Parameter> p : trainer.getModel().getBlock().getParameters()) {
            NDArray weight = p.getValue().getArray();
            if (weight.hasGradient()) {
                try (NDArray grad = weight.getGradient()) {
                    grad.muli(0);
                }
            }
        }
    }

    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        String name = idToName.getOrDefault(parameterId, parameterId);

        int t = counts.merge(name, 1, Integer::sum);
        NDArray m = means.computeIfAbsent(name, n -> initial(n, 0, weight));
        NDArray v = variances.computeIfAbsent(name, n -> initial(n, 1, weight));
        // Every temporary of this update is closed with the scope; m, v and the weight change in place.
        try (NDScope scope = new NDScope()) {
            NDArray g = grad.mul(rescaleGrad);
            if (clipGrad > 0) {
                g = g.clip(-clipGrad, clipGrad);
            }
            m.muli(BETA1).addi(g.mul(1 - BETA1));
            v.muli(BETA2).addi(g.square().muli(1 - BETA2));
            float lr = learningRate.apply(t);
            double correction1 = 1 - Math.pow(BETA1, t);
            double correction2 = 1 - Math.pow(BETA2, t);
            NDArray step = m.div(correction1).div(v.div(correction2).sqrt().add(EPSILON));
            if (weightDecay > 0) {
                step.addi(weight.mul(weightDecay));
            }
            weight.subi(step.muli(lr));
        }
    }

    private NDArray initial(String name, int which, NDArray like) {
        float[][] saved = restored.get(name);
        if (saved == null) {
            NDArray zero = like.zerosLike();
            zero.detach();
            return zero;
        }
        NDArray a = like.getManager().create(saved[which], like.getShape());
        a.detach();
        return a;
    }

    /** Writes the moments and update counts, by parameter name (sorted). */
    public void save(Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        TreeMap<String, Integer> sorted = new TreeMap<>(counts);
        out.writeInt(sorted.size());
        for (Map.Entry<String, Integer> e : sorted.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(e.getValue());
            for (NDArray a : new NDArray[] {means.get(e.getKey()), variances.get(e.getKey())}) {
                float[] values = a.toFloatArray();
                out.writeInt(values.length);
                for (float f : values) {
                    out.writeFloat(f);
                }
            }
        }
        out.flush();
        com.emotionmonitor.store.ArtifactFiles.writeAtomically(file, bytes.toByteArray());
    }

    /** Restores what {@link #save} wrote; the arrays are created lazily, on each parameter's next update. */
    public void restore(Path file) throws IOException {
        Map<String, float[][]> state = new HashMap<>();
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                counts.put(name, in.readInt());
                float[][] mv = new float[2][];
                for (int k = 0; k < 2; k++) {
                    mv[k] = new float[in.readInt()];
                    for (int j = 0; j < mv[k].length; j++) {
                        mv[k][j] = in.readFloat();
                    }
                }
                state.put(name, mv);
            }
        }
        restored = state;
    }

    /** Frees the moments (they are detached from every manager). */
    public void close() {
        means.values().forEach(NDArray::close);
        variances.values().forEach(NDArray::close);
        means.clear();
        variances.clear();
    }
}
