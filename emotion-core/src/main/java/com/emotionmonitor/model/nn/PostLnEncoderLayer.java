package com.emotionmonitor.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.model.HiddenActivation;

/**
 * One post-LN transformer layer as in Google's BERT and Hugging Face's {@code BertLayer}:
 * {@code x = LN(x + Attn(x))} then {@code x = LN(x + FFN(x))}, GELU (exact, or Google's tanh approximation for
 * TensorFlow checkpoints: {@link HiddenActivation}), LayerNorm epsilon from the config
 * (1e-12 in every Hugging Face BERT). Queries, keys and values are one fused projection whose output rows are
 * {@code [query; key; value]}, so an imported checkpoint's three matrices are stacked once at import and each batch
 * pays one matrix product instead of three.
 *
 * <p>Input: hidden (B, S, H) and the additive attention bias (B, 1, 1, S): 0 for real tokens, -10000 for padding
 * (Hugging Face adds the dtype's minimum; both give padded keys exactly zero weight in float32). Output: (B, S, H).
 */
public final class PostLnEncoderLayer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int hidden;
    private final int heads;
    private final HiddenActivation activation;
    private final Linear qkv;
    private final Linear attentionOut;
    private final LayerNorm attentionNorm;
    private final Linear ffnIn;
    private final Linear ffnOut;
    private final LayerNorm ffnNorm;
    private final Dropout attentionDropout;
    private final Dropout residualDropout;

    public PostLnEncoderLayer(BertConfig config) {
        super(VERSION);
        this.hidden = config.hiddenSize();
        this.heads = config.heads();
        this.activation = config.hiddenAct();
        this.qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * hidden).build());
        this.attentionOut = addChildBlock("attentionOut", Linear.builder().setUnits(hidden).build());
        this.attentionNorm = addChildBlock("attentionNorm",
                LayerNorm.builder().axis(2).optEpsilon(config.layerNormEps()).build());
        this.ffnIn = addChildBlock("ffnIn", Linear.builder().setUnits(config.intermediateSize()).build());
        this.ffnOut = addChildBlock("ffnOut", Linear.builder().setUnits(hidden).build());
        this.ffnNorm = addChildBlock("ffnNorm", LayerNorm.builder().axis(2).optEpsilon(config.layerNormEps()).build());
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

        // (B, S, 3H) -> (3, B, A, S, d)
        NDArray qkvHeads = qkv.forward(ps, new NDList(x), training).head()
                .reshape(b, s, 3, heads, d)
                .transpose(2, 0, 3, 1, 4);
        NDArray q = qkvHeads.get(0);
        NDArray k = qkvHeads.get(1);
        NDArray v = qkvHeads.get(2);
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(1.0 / Math.sqrt(d)).add(bias);
        NDArray probs = attentionDropout.forward(ps, new NDList(scores.softmax(-1)), training).head();
        NDArray context = probs.matMul(v).transpose(0, 2, 1, 3).reshape(b, s, hidden);
        NDArray attended = attentionOut.forward(ps, new NDList(context), training).head();
        attended = residualDropout.forward(ps, new NDList(attended), training).head();
        x = attentionNorm.forward(ps, new NDList(x.add(attended)), training).head();

        NDArray f = activation.apply(ffnIn.forward(ps, new NDList(x), training).head());
        f = ffnOut.forward(ps, new NDList(f), training).head();
        f = residualDropout.forward(ps, new NDList(f), training).head();
        return ffnNorm.forward(ps, new NDList(x.add(f)), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        qkv.initialize(manager, dataType, in);
        attentionOut.initialize(manager, dataType, in);
        attentionNorm.initialize(manager, dataType, in);
        ffnIn.initialize(manager, dataType, in);
        ffnOut.initialize(manager, dataType, ffnIn.getOutputShapes(new Shape[] {in})[0]);
        ffnNorm.initialize(manager, dataType, in);
        attentionDropout.initialize(manager, dataType, in);
        residualDropout.initialize(manager, dataType, in);
    }
}
