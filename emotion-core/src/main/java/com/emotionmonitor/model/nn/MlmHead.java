package com.emotionmonitor.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import com.emotionmonitor.model.BertConfig;

/**
 * BERT's masked-LM head: {@code Linear(H) -> GELU -> LayerNorm} then a decoder tied to the encoder's
 * token table (plus its own bias). Only the masked positions are decoded: a vocabulary-wide projection
 * of every position would cost more than the encoder itself.
 *
 * <p>Input: encoder states (B, S, H) and the flat indices (M) of masked positions in the (B*S) grid.
 * Output: logits (M, V). The tied table belongs to the encoder, not to this block, so the head's own
 * parameters save and load separately from the encoder's.
 */
public final class MlmHead extends AbstractBlock {

    private static final byte VERSION = 1;

    private final BertConfig config;
    private final Parameter tiedTokenTable;
    private final Linear transform;
    private final LayerNorm transformNorm;
    private final Parameter decoderBias;

    public MlmHead(BertConfig config, Parameter tiedTokenTable) {
        super(VERSION);
        this.config = config;
        this.tiedTokenTable = tiedTokenTable;
        this.transform = addChildBlock("transform", Linear.builder().setUnits(config.hiddenSize()).build());
        this.transformNorm = addChildBlock("transformNorm", LayerNorm.builder().axis(1).optEpsilon(config.layerNormEps()).build());
        this.decoderBias = addParameter(Parameter.builder().setName("decoderBias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(config.vocabSize())).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray states = inputs.get(0);
        NDArray maskedPositions = inputs.get(1);
        NDArray flat = states.reshape(-1, config.hiddenSize());
        // A row gather that back-propagates into the states: the embedding op with the states as table.
        NDArray picked = Embedding.embedding(maskedPositions, flat, ai.djl.ndarray.types.SparseFormat.DENSE).head();
        NDArray h = transform.forward(ps, new NDList(picked), training).head();
        h = transformNorm.forward(ps, new NDList(Activation.gelu(h)), training).head();
        NDArray table = ps.getValue(tiedTokenTable, h.getDevice(), training);
        NDArray bias = ps.getValue(decoderBias, h.getDevice(), training);
        // y = h W^T + b with W the (V, H) token table, computed on h so the result belongs to the batch.
        return h.getNDArrayInternal().linear(h, table, bias);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[1].get(0), config.vocabSize())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape picked = new Shape(inputShapes[1].get(0), config.hiddenSize());
        transform.initialize(manager, dataType, picked);
        transformNorm.initialize(manager, dataType, picked);
    }
}
