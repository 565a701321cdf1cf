package com.emotionmonitor.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.emotionmonitor.data.SharedData;
import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.model.OfflineDefaults;
import com.emotionmonitor.model.ngram.WeightFormat;
import com.emotionmonitor.model.nn.BlockWeights;
import com.emotionmonitor.text.Vocabulary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ELECTRA's objective (train pretrain --objective rtd) on a tiny encoder and a slice of the corpus. */
class ReplacedTokenPretrainingTest {

    static {
        OfflineDefaults.apply();
    }

    private static PretrainConfig tiny(Path work, Path resume, int totalSteps, int maxSteps, String objective) {
        return new PretrainConfig(SharedData.locate(), work, resume, BertConfig.of(6, 1, 32, 2), 2, 50, 50, 512, 32,
                2e-3f, 2, totalSteps, maxSteps, 0, 60, 1, 42L, 40, "cpu", 0, 0f, 0, objective, 8);
    }

    @Test
    void theDiscriminatorLearnsAndItsCheckpointResumesAndFineTunesAsAnEncoder(@TempDir Path work, @TempDir Path half)
            throws Exception {
        PretrainState first = new Pretrainer(tiny(work, null, 40, 20, PretrainState.RTD)).run();
        assertEquals(PretrainState.RTD, first.objective());
        assertEquals(20, first.step());
        assertEquals(8, first.generatorArchitecture().hiddenSize(), "--generator-hidden");
        assertEquals(first.architecture().layers(), first.generatorArchitecture().layers());
        Path ckpt = work.resolve(PretrainCheckpoint.LATEST);
        for (String f : List.of(PretrainCheckpoint.ENCODER, PretrainCheckpoint.RTD_HEAD, PretrainCheckpoint.GENERATOR,
                PretrainCheckpoint.VOCAB, PretrainCheckpoint.STATE)) {
            assertTrue(Files.isRegularFile(ckpt.resolve(f)), f);
        }
        assertTrue(Files.notExists(ckpt.resolve(PretrainCheckpoint.HEAD)), "no masked-LM head in an ELECTRA checkpoint");

        PretrainState done = new Pretrainer(tiny(work, work, 40, 0, null)).run();
        assertEquals(40, done.step(), "resumed as ELECTRA without being told");
        assertEquals(PretrainState.RTD, done.objective());
        assertTrue(Double.isFinite(done.lastLoss()));

        // What fine-tuning starts from: the discriminator's encoder, as from a masked-LM checkpoint.
        StartingPoint start = StartingPoint.read(work);
        assertEquals(done.architecture(), start.architecture());
        assertEquals("pretrained-encoder", start.provenance().get("kind"));

        // Published in float16 and resumed from there; a masked-LM resume is refused with the reason.
        PretrainCheckpoint.read(work).copyTo(half, WeightFormat.F16);
        assertEquals(WeightFormat.F16, BlockWeights.formatOf(half.resolve(PretrainCheckpoint.GENERATOR)));
        IllegalArgumentException asMlm = assertThrows(IllegalArgumentException.class,
                () -> new Pretrainer(tiny(work.resolve("more"), half, 41, 0, PretrainState.MLM)).run());
        assertTrue(asMlm.getMessage().contains("rtd checkpoint"), asMlm.getMessage());
    }

    @Test
    void theDiscriminatorTellsReplacedTokensApartBetterThanTheirShareAlone() throws Exception {
        List<String> texts = com.emotionmonitor.data.CannedPosts.POSTS.stream().map(p -> p.content()).toList();
        com.emotionmonitor.text.VocabularyBuilder vb = new com.emotionmonitor.text.VocabularyBuilder();
        texts.forEach(vb::add);
        Vocabulary vocab = vb.build(1, 1000, 0);
        com.emotionmonitor.text.BertChineseTokenizer tok = new com.emotionmonitor.text.BertChineseTokenizer(vocab, 64);
        int[][] all = texts.stream().map(t -> tok.encode(t).ids()).toArray(int[][]::new);
        BertConfig arch = BertConfig.of(vocab.size(), 1, 32, 2);
        PretrainState state = new PretrainState(arch, "test", PretrainCheckpoint.vocabSha256(vocab), 1L, 0, 300, 10, 3e-3f,
                512, 32, 0, 0, 0, 0, Double.NaN, Double.NaN, java.util.Map.of(), 0, 0f, 0f, 0, PretrainState.RTD,
                BertConfig.of(vocab.size(), 1, 16, 1));
        MlmMasker masker = new MlmMasker(vocab, 0.15);
        ai.djl.engine.Engine.getInstance().setRandomSeed(7);
        double loss = 0;
        double prior = 0;
        try (ReplacedTokenTraining rtd = new ReplacedTokenTraining(state, ai.djl.Device.cpu(), null)) {
            for (int step = 0; step < 300; step++) {
                int[][] batch = java.util.Arrays.copyOfRange(all, (step % 3) * 12, (step % 3) * 12 + 12);
                Random rnd = new Random(step);
                ReplacedTokenTraining.StepResult r = rtd.step(masker.mask(batch, rnd, vocab.padId(),
                        com.emotionmonitor.model.nn.BertInputs.MASKED), vocab, rnd);
                if (step >= 270) {
                    // What a discriminator that only knew the share of replaced tokens would score: their entropy.
                    double q = Math.min(Math.max((double) r.replaced() / r.tokens(), 1e-6), 1 - 1e-6);
                    prior += (-q * Math.log(q) - (1 - q) * Math.log(1 - q)) / 30;
                    loss += r.discriminatorLoss() / 30;
                }
            }
        }
        assertTrue(loss < 0.9 * prior, "discriminator loss " + loss + " against " + prior + " for the share alone");
    }

    @Test
    void samplesFollowTheGeneratorAndNeverDrawASpecialToken() {
        Vocabulary vocab = Vocabulary.of(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "好", "坏", "哭"));
        float[] logits = {9f, 9f, 9f, 9f, 9f, (float) Math.log(6), (float) Math.log(3), 0f}; // 6 : 3 : 1 over 好 坏 哭
        Random rnd = new Random(1);
        int[] counts = new int[vocab.size()];
        for (int i = 0; i < 10_000; i++) {
            counts[(int) ReplacedTokenTraining.sample(logits, 0, logits.length, rnd, vocab)]++;
        }
        assertEquals(0, counts[0] + counts[1] + counts[2] + counts[3] + counts[4], "special tokens are never sampled");
        assertEquals(0.6, counts[5] / 10_000.0, 0.02);
        assertEquals(0.3, counts[6] / 10_000.0, 0.02);
        assertEquals(0.1, counts[7] / 10_000.0, 0.02);
    }

    @Test
    void theWeightedLogisticLossCountsOnlyRealTokens() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.create(new float[] {2f, -1f, 30f, 0f}, new ai.djl.ndarray.types.Shape(1, 4));
            NDArray z = m.create(new float[] {1f, 0f, 0f, 1f}, new ai.djl.ndarray.types.Shape(1, 4));
            NDArray w = m.create(new float[] {1f, 1f, 0f, 1f}, new ai.djl.ndarray.types.Shape(1, 4)); // the third is padding
            double expected = (Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(-1)) + Math.log(2)) / 3;
            assertEquals(expected, ReplacedTokenTraining.weightedBinaryCrossEntropy(x, z, w).getFloat(), 1e-5);
        }
    }
}
