package com.emotionmonitor.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import com.emotionmonitor.model.ModelShapes;
import com.emotionmonitor.model.nn.BertInputs;
import com.emotionmonitor.model.nn.MaskedLmModel;
import com.emotionmonitor.model.nn.ReplacedTokenModel;
import com.emotionmonitor.text.Vocabulary;
import java.io.IOException;
import java.util.Random;

/**
 * ELECTRA's pretraining step (Clark et al. 2020, "replaced token detection"): 15% of the tokens are masked as for
 * BERT, a small generator (a masked LM of a quarter of the width by default) fills each with a token sampled from
 * its prediction, and the discriminator learns, at every position, whether the token there is the original. The two
 * share no weights here, so each has its own optimizer over its own loss (with Adam, ELECTRA's weight of 50 on the
 * discriminator's loss would then change nothing, and is left out). The discriminator's encoder is the result.
 *
 * <p>Samples are drawn on the host from a seeded generator ({@code seed, step}), so a resumed run draws the same
 * replacements as an uninterrupted one would.
 */
final class ReplacedTokenTraining implements AutoCloseable {

    /** What one step measured. */
    record StepResult(double discriminatorLoss, double generatorLoss, long correct, long tokens, long replaced) {}

    private final Model discriminatorModel;
    private final Model generatorModel;
    private final ReplacedTokenModel discriminator;
    private final MaskedLmModel generator;
    private final Trainer discriminatorTrainer;
    private final Trainer generatorTrainer;

    ReplacedTokenTraining(PretrainState state, Device device, PretrainCheckpoint resumed) throws IOException {
        discriminatorModel = Model.newInstance("weibo-electra-discriminator", device);
        generatorModel = Model.newInstance("weibo-electra-generator", device);
        discriminator = new ReplacedTokenModel(state.architecture());
        discriminator.setInitializer(new TruncatedNormalInitializer(0.02f), Parameter.Type.WEIGHT);
        discriminatorModel.setBlock(discriminator);
        discriminator.initialize(discriminatorModel.getNDManager(), DataType.FLOAT32, ModelShapes.classifierInputs());
        generator = new MaskedLmModel(state.generatorArchitecture());
        generator.setInitializer(new TruncatedNormalInitializer(0.02f), Parameter.Type.WEIGHT);
        generatorModel.setBlock(generator);
        generator.initialize(generatorModel.getNDManager(), DataType.FLOAT32, ModelShapes.maskedLmInputs());
        if (resumed != null) {
            resumed.loadInto(discriminator, generator, discriminatorModel.getNDManager());
        }
        discriminatorTrainer = discriminatorModel.newTrainer(Pretrainer.trainingConfig(state, device));
        discriminatorTrainer.initialize(ModelShapes.classifierInputs());
        generatorTrainer = generatorModel.newTrainer(Pretrainer.trainingConfig(state, device));
        generatorTrainer.initialize(ModelShapes.maskedLmInputs());
    }

    ReplacedTokenModel discriminator() {
        return discriminator;
    }

    MaskedLmModel generator() {
        return generator;
    }

    /** One step of both networks on a masked batch; {@code rnd} draws the generator's samples. */
    StepResult step(MlmMasker.MaskedBatch mb, Vocabulary vocab, Random rnd) {
        int m = mb.positions().length;
        long[] corrupted = mb.ids().clone();
        Pretrainer.MaskedLmUpdate generated = Pretrainer.maskedLmUpdate(generatorTrainer, mb, true);
        float[] logits = generated.logits();
        int v = logits.length / Math.max(1, m);
        for (int k = 0; k < m; k++) {
            corrupted[(int) mb.positions()[k]] = sample(logits, k * v, v, rnd, vocab);
        }
        // Labels: 1 where the generator's token differs from the original (a sample equal to it counts as original,
        // as in ELECTRA); weights: every real token, no padding.
        float[] target = new float[corrupted.length];
        float[] weight = new float[corrupted.length];
        long tokens = 0;
        long replaced = 0;
        for (int i = 0; i < corrupted.length; i++) {
            if (mb.attentionBias()[i] == 0f) {
                weight[i] = 1f;
                tokens++;
            }
        }
        for (int k = 0; k < m; k++) {
            int p = (int) mb.positions()[k];
            if (corrupted[p] != mb.labels()[k]) {
                target[p] = 1f;
                replaced++;
            }
        }
        double discriminatorLoss;
        long correct;
        try (NDManager batch = discriminatorTrainer.getManager().newSubManager()) {
            NDList in = BertInputs.of(batch, corrupted, mb.attentionBias(), mb.batchSize(), mb.length());
            NDArray z = batch.create(target).reshape(mb.batchSize(), mb.length());
            NDArray w = batch.create(weight).reshape(mb.batchSize(), mb.length());
            try (GradientCollector gc = discriminatorTrainer.newGradientCollector()) {
                NDArray x = discriminatorTrainer.forward(in).head();
                NDArray l = weightedBinaryCrossEntropy(x, z, w);
                gc.backward(l);
                discriminatorLoss = l.getFloat();
                correct = x.gt(0f).eq(z.gt(0.5f)).logicalAnd(w.gt(0f)).toType(DataType.INT64, false).sum().getLong();
            }
            discriminatorTrainer.step();
        }
        return new StepResult(discriminatorLoss, generated.loss(), correct, tokens, replaced);
    }

    /** Mean over the weighted positions of the logistic loss, in its stable form {@code max(x,0) - xz + log(1+e^-|x|)}. */
    static NDArray weightedBinaryCrossEntropy(NDArray logits, NDArray targets, NDArray weights) {
        NDArray loss = logits.maximum(0f).sub(logits.mul(targets)).add(logits.abs().neg().exp().add(1f).log());
        return loss.mul(weights).sum().div(weights.sum().maximum(1f));
    }

    /** A token drawn from softmax(logits[from, from + v)); special tokens are never drawn. */
    static long sample(float[] logits, int from, int v, Random rnd, Vocabulary vocab) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < v; j++) {
            if (!vocab.isSpecial(j)) {
                max = Math.max(max, logits[from + j]);
            }
        }
        double[] cdf = new double[v];
        double sum = 0;
        for (int j = 0; j < v; j++) {
            sum += vocab.isSpecial(j) ? 0 : Math.exp(logits[from + j] - max);
            cdf[j] = sum;
        }
        double u = rnd.nextDouble() * sum;
        int lo = 0;
        int hi = v - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    @Override
    public void close() {
        discriminatorTrainer.close();
        generatorTrainer.close();
        discriminatorModel.close();
        generatorModel.close();
    }
}
