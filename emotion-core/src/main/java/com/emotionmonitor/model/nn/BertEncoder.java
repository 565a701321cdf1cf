package com.emotionmonitor.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.model.EncoderVariant;
import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;

/**
 * The BERT encoder: embeddings, L pre-LN layers and a final LayerNorm (ours), or, for
 * {@link EncoderVariant#BERT_POST_LN}, normalised embeddings and L post-LN layers (Google's and Hugging Face's
 * BERT). Saved and loaded on its own, so a pretrained encoder (masked LM, or an imported checkpoint) is an
 * artifact that fine-tuning starts from.
 *
 * <p>Input ({@link BertInputs}): token ids (B, S), segment ids (B, S), position ids (S), attention bias
 * (B, 1, 1, S). Output: token states (B, S, H). Padding to the batch's longest member, never to 142.
 */
public final class BertEncoder extends AbstractBlock {

    private static final byte VERSION = 1;

    private final BertConfig config;
    private final BertEmbeddings embeddings;
    private final List<Block> layers = new ArrayList<>();
    /** Pre-LN only: post-LN layers end normalised. */
    private final LayerNorm finalNorm;

    public BertEncoder(BertConfig config) {
        super(VERSION);
        this.config = config;
        this.embeddings = addChildBlock("embeddings", new BertEmbeddings(config));
        boolean postLn = config.variant() == EncoderVariant.BERT_POST_LN;
        for (int i = 0; i < config.layers(); i++) {
            layers.add(addChildBlock("layer" + i, postLn ? new PostLnEncoderLayer(config) : new EncoderLayer(config)));
        }
        this.finalNorm = postLn ? null
                : addChildBlock("finalNorm", LayerNorm.builder().axis(2).optEpsilon(config.layerNormEps()).build());
    }

    public BertConfig config() {
        return config;
    }

    public BertEmbeddings embeddings() {
        return embeddings;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray bias = inputs.get(3);
        NDArray x = embeddings.forward(ps, new NDList(inputs.get(0), inputs.get(1), inputs.get(2)), training).head();
        for (Block layer : layers) {
            x = layer.forward(ps, new NDList(x, bias), training).head();
        }
        return finalNorm == null ? new NDList(x) : finalNorm.forward(ps, new NDList(x), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(config.hiddenSize())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape ids = inputShapes[0];
        embeddings.initialize(manager, dataType, ids, ids, ids);
        Shape hidden = ids.add(config.hiddenSize());
        Shape bias = new Shape(ids.get(0), 1, 1, ids.get(1));
        for (Block layer : layers) {
            layer.initialize(manager, dataType, hidden, bias);
        }
        if (finalNorm != null) {
            finalNorm.initialize(manager, dataType, hidden);
        }
    }
}
