package com.emotionmonitor.train;

import com.emotionmonitor.model.Emotion;
import com.emotionmonitor.serving.EnsemblePredictor;
import com.emotionmonitor.model.Prediction;
import java.util.List;

/**
 * Chooses the n-gram mixing weight on the selection set (usual_eval, the set the issue prescribes for
 * model selection): a grid over [0, 1] in steps of 0.05, best macro-F1, ties to the smaller weight.
 */
public final class EnsembleTuner {

    private EnsembleTuner() {}

    public record Choice(double weight, double macroF1, double bertOnlyMacroF1, double ngramOnlyMacroF1) {}

    public static Choice choose(List<Prediction> bert, List<Prediction> ngram, List<Emotion> gold) {
        double bestW = 0;
        double bestF1 = -1;
        for (int step = 0; step <= 20; step++) {
            double w = step / 20.0;
            double f1 = report(EnsemblePredictor.mix(bert, ngram, w), gold).macroF1();
            if (f1 > bestF1 + 1e-12) {
                bestF1 = f1;
                bestW = w;
            }
        }
        return new Choice(bestW, bestF1, report(bert, gold).macroF1(), report(ngram, gold).macroF1());
    }

    public static EvaluationReport report(List<Prediction> predictions, List<Emotion> gold) {
        EvaluationReport r = new EvaluationReport();
        for (int i = 0; i < gold.size(); i++) {
            r.add(gold.get(i), predictions.get(i).emotion());
        }
        return r;
    }
}
