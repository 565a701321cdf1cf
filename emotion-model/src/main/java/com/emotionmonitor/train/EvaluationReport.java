package com.emotionmonitor.train;

import com.emotionmonitor.model.Emotion;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Classification quality over a labelled set: confusion matrix (rows = gold, columns = predicted),
 * accuracy, macro-F1 (the SMP2020-EWECT metric) and per-class precision, recall and F1.
 */
public final class EvaluationReport {

    private final long[][] confusion = new long[Emotion.count()][Emotion.count()];
    private long n;

    public void add(Emotion gold, Emotion predicted) {
        confusion[gold.ordinal()][predicted.ordinal()]++;
        n++;
    }

    public long n() {
        return n;
    }

    public long[][] confusion() {
        return confusion;
    }

    public double accuracy() {
        long correct = 0;
        for (int i = 0; i < confusion.length; i++) {
            correct += confusion[i][i];
        }
        return n == 0 ? 0 : (double) correct / n;
    }

    public double precision(Emotion e) {
        long predicted = 0;
        for (long[] row : confusion) {
            predicted += row[e.ordinal()];
        }
        return predicted == 0 ? 0 : (double) confusion[e.ordinal()][e.ordinal()] / predicted;
    }

    public double recall(Emotion e) {
        long gold = 0;
        for (long c : confusion[e.ordinal()]) {
            gold += c;
        }
        return gold == 0 ? 0 : (double) confusion[e.ordinal()][e.ordinal()] / gold;
    }

    public double f1(Emotion e) {
        double p = precision(e);
        double r = recall(e);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** The mean of the six per-class F1 scores. */
    public double macroF1() {
        double sum = 0;
        for (Emotion e : Emotion.values()) {
            sum += f1(e);
        }
        return sum / Emotion.count();
    }

    /** n, accuracy, macro_f1 and per_class {precision, recall, f1, support}: the CLI's last line. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("n", n);
        out.put("accuracy", round(accuracy()));
        out.put("macro_f1", round(macroF1()));
        Map<String, Object> perClass = new LinkedHashMap<>();
        for (Emotion e : Emotion.values()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("precision", round(precision(e)));
            c.put("recall", round(recall(e)));
            c.put("f1", round(f1(e)));
            long support = 0;
            for (long v : confusion[e.ordinal()]) {
                support += v;
            }
            c.put("support", support);
            perClass.put(e.label(), c);
        }
        out.put("per_class", perClass);
        return out;
    }

    /** A fixed-width confusion matrix for people. */
    public String confusionTable() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-10s", "gold\\pred"));
        for (Emotion e : Emotion.values()) {
            sb.append(String.format(Locale.ROOT, "%9s", e.label()));
        }
        sb.append(String.format(Locale.ROOT, "%9s%9s%9s%n", "P", "R", "F1"));
        for (Emotion g : Emotion.values()) {
            sb.append(String.format(Locale.ROOT, "%-10s", g.label()));
            for (Emotion p : Emotion.values()) {
                sb.append(String.format(Locale.ROOT, "%9d", confusion[g.ordinal()][p.ordinal()]));
            }
            sb.append(String.format(Locale.ROOT, "%9.3f%9.3f%9.3f%n", precision(g), recall(g), f1(g)));
        }
        sb.append(String.format(Locale.ROOT, "n=%d accuracy=%.4f macro-F1=%.4f%n", n, accuracy(), macroF1()));
        return sb.toString();
    }

    private static double round(double v) {
        return Math.round(v * 10000.0) / 10000.0;
    }
}
