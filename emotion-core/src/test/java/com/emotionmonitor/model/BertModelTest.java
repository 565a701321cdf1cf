package com.emotionmonitor.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import com.emotionmonitor.model.nn.BertInputs;
import com.emotionmonitor.model.nn.EmotionClassifierBlock;
import com.emotionmonitor.text.Encoding;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class BertModelTest {

    static {
        OfflineDefaults.apply();
    }

    private static final BertConfig TINY = new BertConfig(30, 16, 2, 2, 32, 142, 2, 0.0f);

    private static float[] logits(EmotionClassifierBlock block, NDManager manager, List<Encoding> batch) {
        try (NDManager m = manager.newSubManager()) {
            NDList in = BertInputs.of(m, batch, 0);
            return block.forward(new ParameterStore(m, false), in, false).head().toFloatArray();
        }
    }

    @Test
    void paddingDoesNotChangeARowsLogits() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            EmotionClassifierBlock block = new EmotionClassifierBlock(TINY);
            block.setInitializer(new TruncatedNormalInitializer(0.02f), Parameter.Type.WEIGHT);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 4), new Shape(1, 4), new Shape(4), new Shape(1, 1, 1, 4));
            Encoding shortOne = new Encoding(new int[] {2, 7, 8, 3});
            Encoding longOne = new Encoding(new int[] {2, 9, 10, 11, 12, 13, 14, 3});
            float[] alone = logits(block, manager, List.of(shortOne));
            float[] padded = logits(block, manager, List.of(shortOne, longOne));
            assertEquals(6, alone.length, "batch of one keeps its batch axis: (1, 6)");
            for (int i = 0; i < 6; i++) {
                assertEquals(alone[i], padded[i], 1e-4, "masked padding must not leak into attention");
            }
        }
    }

    @Test
    void saveThenLoadGivesIdenticalLogits() throws Exception {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Shape[] shapes = {new Shape(1, 4), new Shape(1, 4), new Shape(4), new Shape(1, 1, 1, 4)};
            EmotionClassifierBlock a = new EmotionClassifierBlock(TINY);
            a.setInitializer(new TruncatedNormalInitializer(0.02f), Parameter.Type.WEIGHT);
            a.initialize(manager, DataType.FLOAT32, shapes);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            a.saveParameters(new DataOutputStream(bytes));

            EmotionClassifierBlock b = new EmotionClassifierBlock(TINY);
            b.setInitializer(new TruncatedNormalInitializer(0.5f), Parameter.Type.WEIGHT);
            b.initialize(manager, DataType.FLOAT32, shapes);
            b.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

            List<Encoding> batch = List.of(new Encoding(new int[] {2, 5, 6, 3}), new Encoding(new int[] {2, 7, 3}));
            assertArrayEquals(logits(a, manager, batch), logits(b, manager, batch));
        }
    }

    @Test
    void inferenceAttachesNothingToTheLongLivedManager() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            EmotionClassifierBlock block = new EmotionClassifierBlock(TINY);
            block.setInitializer(new TruncatedNormalInitializer(0.02f), Parameter.Type.WEIGHT);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 4), new Shape(1, 4), new Shape(4), new Shape(1, 1, 1, 4));
            List<Encoding> batch = List.of(new Encoding(new int[] {2, 5, 6, 3}));
            logits(block, manager, batch);
            int before = ((ai.djl.ndarray.BaseNDManager) manager).getManagedArrays().size();
            for (int i = 0; i < 20; i++) {
                logits(block, manager, batch);
            }
            int after = ((ai.djl.ndarray.BaseNDManager) manager).getManagedArrays().size();
            assertEquals(before, after, "per-batch arrays must be freed with the batch manager");
            NDArray probe = manager.create(1f);
            assertTrue(probe.getFloat() == 1f);
        }
    }
}
