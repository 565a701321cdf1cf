package com.emotionmonitor.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import com.emotionmonitor.model.BertConfig;

/**
 * ELECTRA's discriminator (Clark et al. 2020): {@link BertEncoder} + a per-token head {@code Linear(H) -> GELU ->
 * Linear(1)} that tells, for every position, whether the token there is the original or one a small generator put
 * in. Every token teaches it, not only the 15% masked ones, which is why it learns more per CPU-second than masked
 * LM. Its encoder is what fine-tuning starts from; the head is kept only to resume pretraining.
 *
 * <p>Input: the four {@link BertInputs}. Output: logits (B, S), positive meaning "replaced".
 */
public final class ReplacedTokenModel extends AbstractBlock {

    private static final byte VERSION = 1;

    private final BertEncoder encoder;
    private final Head head;

    public ReplacedTokenModel(BertConfig config) {
        super(VERSION);
        this.encoder = addChildBlock("encoder", new BertEncoder(config));
        this.head = addChildBlock("rtdHead", new Head(config.hiddenSize()));
    }

    public BertEncoder encoder() {
        return encoder;
    }

    /** The per-token head, saved and loaded apart from the encoder. */
    public AbstractBlock head() {
        return head;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray states = encoder.forward(ps, inputs, training).head();
        return head.forward(ps, new NDList(states), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        encoder.initialize(manager, dataType, inputShapes);
        head.initialize(manager, dataType, inputShapes[0].add(encoder.config().hiddenSize()));
    }

    /** (B, S, H) states -> (B, S) logits. */
    private static final class Head extends AbstractBlock {

        private final int hidden;
        private final Linear dense;
        private final Linear output;

        Head(int hidden) {
            super(VERSION);
            this.hidden = hidden;
            this.dense = addChildBlock("dense", Linear.builder().setUnits(hidden).build());
            this.output = addChildBlock("output", Linear.builder().setUnits(1).build());
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray states = inputs.head();
            long batch = states.getShape().get(0);
            long length = states.getShape().get(1);
            NDArray h = Activation.gelu(dense.forward(ps, new NDList(states.reshape(-1, hidden)), training).head());
            return new NDList(output.forward(ps, new NDList(h), training).head().reshape(batch, length));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1))};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            Shape flat = new Shape(inputShapes[0].get(0) * inputShapes[0].get(1), hidden);
            dense.initialize(manager, dataType, flat);
            output.initialize(manager, dataType, flat);
        }
    }
}
