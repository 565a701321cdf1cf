package com.emotionmonitor.train;

import com.emotionmonitor.model.Emotion;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

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

    /**
     * A 95% percentile-bootstrap interval for macro-F1: the posts are resampled with replacement (drawn from the
     * confusion cells in proportion to their counts) {@code resamples} times with a fixed seed, so the figure is
     * reproducible. It says how far a score can move by the luck of which posts are in the set: virus_eval has only
     * 75 fear and 47 surprise posts, and those two classes weigh a third of its macro-F1.
     */
    public double[] macroF1Interval95(int resamples, long seed) {
        if (n == 0) {
            return new double[] {0, 0};
        }
        // One entry per post: its (gold, predicted) cell. A resample draws n posts from it with replacement.
        int k = Emotion.count();
        int[] cellOfPost = new int[Math.toIntExact(n)];
        int post = 0;
        for (int cell = 0; cell < k * k; cell++) {
            for (long c = 0; c < confusion[cell / k][cell % k]; c++) {
                cellOfPost[post++] = cell;
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] scores = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            EvaluationReport sample = new EvaluationReport();
            for (int i = 0; i < cellOfPost.length; i++) {
                int cell = cellOfPost[(int) random.nextLong(cellOfPost.length)];
                sample.confusion[cell / k][cell % k]++;
            }
            sample.n = n;
            scores[r] = sample.macroF1();
        }
        Arrays.sort(scores);
        return new double[] {scores[(int) Math.floor(0.025 * (resamples - 1))], scores[(int) Math.ceil(0.975 * (resamples - 1))]};
    }

    static final int BOOTSTRAP_RESAMPLES = 1000;
    static final long BOOTSTRAP_SEED = 20200601L;

    /** n, accuracy, macro_f1 (with its 95% bootstrap interval) and per_class {precision, recall, f1, support}: the CLI's last line. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("n", n);
        out.put("accuracy", round(accuracy()));
        out.put("macro_f1", round(macroF1()));
        double[] ci = macroF1Interval95(BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED);
        out.put("macro_f1_ci95", List.of(round(ci[0]), round(ci[1])));
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
