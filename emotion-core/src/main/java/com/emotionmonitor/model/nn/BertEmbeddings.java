package com.emotionmonitor.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import com.emotionmonitor.model.BertConfig;

/**
 * Token + segment + learned position embeddings, summed. Positions are looked up for the batch's own
 * length (not broadcast to the configured maximum, DJL BertBlock's pitfall), so a batch padded to 40
 * tokens costs 40 positions. Every lookup is an embedding op on an index array owned by the batch, so no
 * intermediate array ever attaches to the model's long-lived manager.
 *
 * <p>Input: token ids (B, S) int64, segment ids (B, S) int64, position ids (B, S) or (S) int64.
 * Output: (B, S, H); without normalisation for pre-LN (its layers normalise their own inputs), LayerNorm then
 * dropout for post-LN BERT (Hugging Face's BertEmbeddings).
 */
public final class BertEmbeddings extends AbstractBlock {

    private static final byte VERSION = 1;

    private final BertConfig config;
    private final Parameter tokenWeight;
    private final Parameter positionWeight;
    private final Parameter typeWeight;
    /** Post-LN only (null for pre-LN, whose parameter list must stay as published). */
    private final LayerNorm norm;
    private final Dropout dropout;

    public BertEmbeddings(BertConfig config) {
        super(VERSION);
        this.config = config;
        this.tokenWeight = addParameter(Parameter.builder().setName("token").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.vocabSize(), config.hiddenSize())).build());
        this.positionWeight = addParameter(Parameter.builder().setName("position").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.maxPositions(), config.hiddenSize())).build());
        this.typeWeight = addParameter(Parameter.builder().setName("segment").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.typeVocabSize(), config.hiddenSize())).build());
        this.norm = config.variant() == com.emotionmonitor.model.EncoderVariant.BERT_POST_LN
                ? addChildBlock("norm", LayerNorm.builder().axis(2).optEpsilon(config.layerNormEps()).build())
                : null;
        this.dropout = addChildBlock("dropout", Dropout.builder().optRate(config.dropout()).build());
    }

    /** The token table, shared with the masked-LM decoder (weight tying, as in BERT). */
    public Parameter tokenWeight() {
        return tokenWeight;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.get(0);
        NDArray types = inputs.get(1);
        NDArray positions = inputs.get(2);
        NDArray tok = Embedding.embedding(ids, ps.getValue(tokenWeight, ids.getDevice(), training), ai.djl.ndarray.types.SparseFormat.DENSE).head();
        NDArray pos = Embedding.embedding(positions, ps.getValue(positionWeight, ids.getDevice(), training), ai.djl.ndarray.types.SparseFormat.DENSE).head();
        NDArray typ = Embedding.embedding(types, ps.getValue(typeWeight, ids.getDevice(), training), ai.djl.ndarray.types.SparseFormat.DENSE).head();
        NDArray sum = tok.add(typ).add(pos);
        if (norm != null) {
            sum = norm.forward(ps, new NDList(sum), training).head();
        }
        return dropout.forward(ps, new NDList(sum), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(config.hiddenSize())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape hidden = inputShapes[0].add(config.hiddenSize());
        if (norm != null) {
            norm.initialize(manager, dataType, hidden);
        }
        dropout.initialize(manager, dataType, hidden);
    }
}
