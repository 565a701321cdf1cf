package com.emotionmonitor.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import com.emotionmonitor.model.BertConfig;

/**
 * One pre-LN transformer layer: {@code x + Attn(LN(x))} then {@code x + FFN(LN(x))}, GELU. Pre-LN
 * (rather than BERT's post-LN) because it trains stably at higher learning rates without a long
 * warm-up, which matters when pretraining has hours of one CPU core, not days of TPUs.
 *
 * <p>Input: hidden (B, S, H) and an additive attention bias (B, 1, 1, S): 0 for real tokens, -10000 for
 * padding, so padded positions get no attention weight. Output: hidden (B, S, H).
 */
public final class EncoderLayer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int hidden;
    private final int heads;
    private final LayerNorm attentionNorm;
    private final Linear qkv;
    private final Linear attentionOut;
    private final LayerNorm ffnNorm;
    private final Linear ffnIn;
    private final Linear ffnOut;
    private final Dropout attentionDropout;
    private final Dropout residualDropout;

    public EncoderLayer(BertConfig config) {
        super(VERSION);
        this.hidden = config.hiddenSize();
        this.heads = config.heads();
        this.attentionNorm = addChildBlock("attentionNorm", LayerNorm.builder().axis(2).optEpsilon(config.layerNormEps()).build());
        this.qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * hidden).build());
        this.attentionOut = addChildBlock("attentionOut", Linear.builder().setUnits(hidden).build());
        this.ffnNorm = addChildBlock("ffnNorm", LayerNorm.builder().axis(2).optEpsilon(config.layerNormEps()).build());
        this.ffnIn = addChildBlock("ffnIn", Linear.builder().setUnits(config.intermediateSize()).build());
        this.ffnOut = addChildBlock("ffnOut", Linear.builder().setUnits(hidden).build());
        this.attentionDropout = addChildBlock("attentionDropout", Dropout.builder().optRate(config.dropout()).build());
        this.residualDropout = addChildBlock("residualDropout", Dropout.builder().optRate(config.dropout()).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray bias = inputs.get(1);
        long b = x.getShape().get(0);
        long s = x.getShape().get(1);
        int d = hidden / heads;

        NDArray h = attentionNorm.forward(ps, new NDList(x), training).head();
        // (B, S, 3H) -> (3, B, A, S, d): one projection for queries, keys and values.
        NDArray qkvHeads = qkv.forward(ps, new NDList(h), training).head()
                .reshape(b, s, 3, heads, d)
                .transpose(2, 0, 3, 1, 4);
        NDArray q = qkvHeads.get(0);
        NDArray k = qkvHeads.get(1);
        NDArray v = qkvHeads.get(2);
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(1.0 / Math.sqrt(d)).add(bias);
        NDArray probs = attentionDropout.forward(ps, new NDList(scores.softmax(-1)), training).head();
        NDArray context = probs.matMul(v).transpose(0, 2, 1, 3).reshape(b, s, hidden);
        NDArray attended = attentionOut.forward(ps, new NDList(context), training).head();
        x = x.add(residualDropout.forward(ps, new NDList(attended), training).head());

        NDArray f = ffnNorm.forward(ps, new NDList(x), training).head();
        f = Activation.gelu(ffnIn.forward(ps, new NDList(f), training).head());
        f = ffnOut.forward(ps, new NDList(f), training).head();
        x = x.add(residualDropout.forward(ps, new NDList(f), training).head());
        return new NDList(x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        attentionNorm.initialize(manager, dataType, in);
        qkv.initialize(manager, dataType, in);
        attentionOut.initialize(manager, dataType, in);
        ffnNorm.initialize(manager, dataType, in);
        ffnIn.initialize(manager, dataType, in);
        ffnOut.initialize(manager, dataType, ffnIn.getOutputShapes(new Shape[] {in})[0]);
        attentionDropout.initialize(manager, dataType, in);
        residualDropout.initialize(manager, dataType, in);
    }
}
