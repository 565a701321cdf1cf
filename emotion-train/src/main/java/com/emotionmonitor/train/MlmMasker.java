package com.emotionmonitor.train;

import com.emotionmonitor.text.Vocabulary;
import java.util.Random;

/**
 * BERT's masking: 15% of the real (non-special) tokens are chosen; of those 80% become [MASK], 10% a
 * random token, 10% stay as they are. At least one token per sequence is chosen. No next-sentence task.
 */
public final class MlmMasker {

    private final double maskRate;
    private final Vocabulary vocab;
    private final int firstRegularId;

    public MlmMasker(Vocabulary vocab, double maskRate) {
        this.vocab = vocab;
        this.maskRate = maskRate;
        int first = 0;
        while (first < vocab.size() && vocab.isSpecial(first)) {
            first++;
        }
        this.firstRegularId = first;
    }

    /** A masked, padded batch: inputs, the flat positions chosen, and the original ids there. */
    public record MaskedBatch(long[] ids, float[] attentionBias, int batchSize, int length, long[] positions, long[] labels) {}

    public MaskedBatch mask(int[][] sequences, Random rnd, int padId, float maskedBias) {
        int b = sequences.length;
        int s = 1;
        for (int[] seq : sequences) {
            s = Math.max(s, seq.length);
        }
        long[] ids = new long[b * s];
        float[] bias = new float[b * s];
        long[] positions = new long[b * s];
        long[] labels = new long[b * s];
        int m = 0;
        for (int i = 0; i < b; i++) {
            int[] seq = sequences[i];
            int chosenHere = 0;
            int firstCandidate = -1;
            for (int j = 0; j < s; j++) {
                int flat = i * s + j;
                if (j >= seq.length) {
                    ids[flat] = padId;
                    bias[flat] = maskedBias;
                    continue;
                }
                int tok = seq[j];
                ids[flat] = tok;
                if (vocab.isSpecial(tok) && tok != vocab.unkId()) {
                    continue;
                }
                if (firstCandidate < 0) {
                    firstCandidate = j;
                }
                if (rnd.nextDouble() < maskRate) {
                    m = choose(ids, positions, labels, m, flat, tok, rnd);
                    chosenHere++;
                }
            }
            if (chosenHere == 0 && firstCandidate >= 0) {
                int flat = i * s + firstCandidate;
                m = choose(ids, positions, labels, m, flat, seq[firstCandidate], rnd);
            }
        }
        return new MaskedBatch(ids, bias, b, s, java.util.Arrays.copyOf(positions, m), java.util.Arrays.copyOf(labels, m));
    }

    private int choose(long[] ids, long[] positions, long[] labels, int m, int flat, int tok, Random rnd) {
        positions[m] = flat;
        labels[m] = tok;
        double r = rnd.nextDouble();
        if (r < 0.8) {
            ids[flat] = vocab.maskId();
        } else if (r < 0.9) {
            ids[flat] = firstRegularId + rnd.nextInt(vocab.size() - firstRegularId);
        }
        return m + 1;
    }
}
