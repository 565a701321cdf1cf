package com.emotionmonitor.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.model.Emotion;

/**
 * Encoder + classification head on the [CLS] state: {@code Linear(H) -> tanh -> dropout -> Linear(6)}.
 * The [CLS] state is taken as {@code seq[:, 0, :]}, which keeps the batch axis at batch size 1 (DJL
 * BertBlock reads index 1 and squeezes).
 *
 * <p>Input: the four {@link BertInputs}. Output: logits (B, 6) in {@link Emotion} order.
 */
public final class EmotionClassifierBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final BertConfig config;
    private final BertEncoder encoder;
    private final Linear pooler;
    private final Dropout dropout;
    private final Linear output;

    public EmotionClassifierBlock(BertConfig config) {
        super(VERSION);
        this.config = config;
        this.encoder = addChildBlock("encoder", new BertEncoder(config));
        this.pooler = addChildBlock("pooler", Linear.builder().setUnits(config.hiddenSize()).build());
        this.dropout = addChildBlock("dropout", Dropout.builder().optRate(config.dropout()).build());
        this.output = addChildBlock("output", Linear.builder().setUnits(Emotion.count()).build());
    }

    public BertEncoder encoder() {
        return encoder;
    }

    /** The pooler (dense + tanh on [CLS]): an imported encoder may bring its own, which fine-tuning starts from. */
    public Linear pooler() {
        return pooler;
    }

    /** The six-way head on the pooled [CLS]. */
    public Linear output() {
        return output;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray states = encoder.forward(ps, inputs, training).head();
        NDArray cls = states.get(new NDIndex(":, 0, :"));
        NDArray pooled = pooler.forward(ps, new NDList(cls), training).head().tanh();
        pooled = dropout.forward(ps, new NDList(pooled), training).head();
        return output.forward(ps, new NDList(pooled), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), Emotion.count())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        encoder.initialize(manager, dataType, inputShapes);
        Shape pooled = new Shape(inputShapes[0].get(0), config.hiddenSize());
        pooler.initialize(manager, dataType, pooled);
        dropout.initialize(manager, dataType, pooled);
        output.initialize(manager, dataType, pooled);
    }
}
