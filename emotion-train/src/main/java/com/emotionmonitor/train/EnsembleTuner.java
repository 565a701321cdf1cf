package com.emotionmonitor.train;

import com.emotionmonitor.model.Emotion;
import com.emotionmonitor.serving.EnsemblePredictor;
import com.emotionmonitor.model.Prediction;
import java.util.List;

/**
 * Chooses the n-gram mixing weight on the selection set(s) (a hold-out of the training files, or a named file): a grid
 * over [0, 1] in steps of 0.05, best (mean) macro-F1, ties to the smaller weight.
 */
public final class EnsembleTuner {

    private EnsembleTuner() {}

    public record Choice(double weight, double macroF1, double bertOnlyMacroF1, double ngramOnlyMacroF1) {}

    public static Choice choose(List<Prediction> bert, List<Prediction> ngram, List<Emotion> gold) {
        return chooseOnMean(List.of(bert), List.of(ngram), List.of(gold));
    }

    /**
     * The weight with the best mean macro-F1 over several selection sets (set {@code k}: {@code bert.get(k)},
     * {@code ngram.get(k)}, {@code gold.get(k)}); the Choice's figures are means over the sets.
     */
    public static Choice chooseOnMean(List<List<Prediction>> bert, List<List<Prediction>> ngram, List<List<Emotion>> gold) {
        double bestW = 0;
        double bestF1 = -1;
        for (int step = 0; step <= 20; step++) {
            double w = step / 20.0;
            double f1 = 0;
            for (int k = 0; k < gold.size(); k++) {
                f1 += report(EnsemblePredictor.mix(bert.get(k), ngram.get(k), w), gold.get(k)).macroF1() / gold.size();
            }
            if (f1 > bestF1 + 1e-12) {
                bestF1 = f1;
                bestW = w;
            }
        }
        double bertOnly = 0;
        double ngramOnly = 0;
        for (int k = 0; k < gold.size(); k++) {
            bertOnly += report(bert.get(k), gold.get(k)).macroF1() / gold.size();
            ngramOnly += report(ngram.get(k), gold.get(k)).macroF1() / gold.size();
        }
        return new Choice(bestW, bestF1, bertOnly, ngramOnly);
    }

    public static EvaluationReport report(List<Prediction> predictions, List<Emotion> gold) {
        EvaluationReport r = new EvaluationReport();
        for (int i = 0; i < gold.size(); i++) {
            r.add(gold.get(i), predictions.get(i).emotion());
        }
        return r;
    }
}
