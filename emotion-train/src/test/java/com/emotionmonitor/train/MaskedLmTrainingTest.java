package com.emotionmonitor.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.model.OfflineDefaults;
import com.emotionmonitor.model.nn.BertInputs;
import com.emotionmonitor.model.nn.MaskedLmModel;
import com.emotionmonitor.text.Vocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaskedLmTrainingTest {

    static {
        OfflineDefaults.apply();
    }

    @Test
    void maskingFollowsBertProportions() {
        List<String> tokens = new ArrayList<>(Vocabulary.SPECIALS);
        for (int i = 0; i < 100; i++) {
            tokens.add("t" + i);
        }
        Vocabulary vocab = Vocabulary.of(tokens);
        MlmMasker masker = new MlmMasker(vocab, 0.15);
        int[][] seqs = new int[200][];
        Random r = new Random(1);
        for (int i = 0; i < seqs.length; i++) {
            seqs[i] = new int[52];
            seqs[i][0] = vocab.clsId();
            for (int j = 1; j < 51; j++) {
                seqs[i][j] = 5 + r.nextInt(100);
            }
            seqs[i][51] = vocab.sepId();
        }
        MlmMasker.MaskedBatch b = masker.mask(seqs, new Random(7), vocab.padId(), BertInputs.MASKED);
        double chosen = (double) b.positions().length / (200 * 50);
        assertEquals(0.15, chosen, 0.02, "15% of real tokens are chosen");
        int masked = 0;
        for (long p : b.positions()) {
            int row = (int) (p / b.length());
            int col = (int) (p % b.length());
            assertTrue(col > 0 && col < 51, "[CLS]/[SEP] are never chosen");
            if (b.ids()[(int) p] == vocab.maskId()) {
                masked++;
            }
            assertEquals(seqs[row][col], b.labels()[java.util.Arrays.binarySearch(b.positions(), p)]);
        }
        assertEquals(0.8, (double) masked / b.positions().length, 0.05, "80% of chosen tokens become [MASK]");
    }

    @Test
    void aFewStepsOnOneBatchDriveTheLossDown() {
        BertConfig cfg = new BertConfig(40, 32, 2, 2, 64, 142, 2, 0.0f);
        try (Model model = Model.newInstance("mlm-test", Device.cpu())) {
            MaskedLmModel block = new MaskedLmModel(cfg);
            block.setInitializer(new TruncatedNormalInitializer(0.02f), Parameter.Type.WEIGHT);
            model.setBlock(block);
            DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adamW().optLearningRateTracker(new WarmupLinearDecay(3e-3f, 1, 1000, 0)).build());
            try (Trainer trainer = model.newTrainer(tc)) {
                trainer.initialize(new Shape(2, 8), new Shape(2, 8), new Shape(8), new Shape(2, 1, 1, 8), new Shape(3));
                long[] ids = {2, 5, 6, 7, 4, 9, 3, 0, 2, 11, 4, 13, 14, 3, 0, 0};
                float[] bias = {0, 0, 0, 0, 0, 0, 0, BertInputs.MASKED, 0, 0, 0, 0, 0, 0, BertInputs.MASKED, BertInputs.MASKED};
                long[] positions = {4, 10};
                long[] labels = {8, 12};
                float first = Float.NaN;
                float last = Float.NaN;
                for (int step = 0; step < 40; step++) {
                    try (NDManager batch = trainer.getManager().newSubManager()) {
                        NDList in = BertInputs.of(batch, ids, bias, 2, 8);
                        in.add(batch.create(positions));
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray logits = trainer.forward(in).head();
                            assertEquals(new Shape(2, 40), logits.getShape());
                            NDArray loss = trainer.getLoss().evaluate(new NDList(batch.create(labels)), new NDList(logits));
                            gc.backward(loss);
                            last = loss.getFloat();
                            if (step == 0) {
                                first = last;
                            }
                        }
                        trainer.step();
                    }
                }
                assertTrue(last < first * 0.2, "loss should collapse on a memorised batch: " + first + " -> " + last);
            }
        }
    }
}
