package com.emotionmonitor.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import com.emotionmonitor.model.BertConfig;

/**
 * The pretraining network: {@link BertEncoder} + {@link MlmHead}. Input: the four {@link BertInputs}
 * plus masked positions (M). Output: logits (M, V).
 */
public final class MaskedLmModel extends AbstractBlock {

    private static final byte VERSION = 1;

    private final BertEncoder encoder;
    private final MlmHead head;

    public MaskedLmModel(BertConfig config) {
        super(VERSION);
        this.encoder = addChildBlock("encoder", new BertEncoder(config));
        this.head = addChildBlock("mlmHead", new MlmHead(config, encoder.embeddings().tokenWeight()));
    }

    public BertEncoder encoder() {
        return encoder;
    }

    public MlmHead head() {
        return head;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList encoderInputs = new NDList(inputs.get(0), inputs.get(1), inputs.get(2), inputs.get(3));
        NDArray states = encoder.forward(ps, encoderInputs, training).head();
        return head.forward(ps, new NDList(states, inputs.get(4)), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return head.getOutputShapes(new Shape[] {null, inputShapes[4]});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        encoder.initialize(manager, dataType, inputShapes[0], inputShapes[1], inputShapes[2], inputShapes[3]);
        Shape states = inputShapes[0].add(encoder.config().hiddenSize());
        head.initialize(manager, dataType, states, inputShapes[4]);
    }
}
