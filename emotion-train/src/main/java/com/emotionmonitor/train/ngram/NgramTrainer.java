package com.emotionmonitor.train.ngram;

import com.emotionmonitor.model.ngram.NgramClassifier;
import com.emotionmonitor.model.ngram.NgramFeaturizer;
import com.emotionmonitor.model.ngram.NgramSettings;
import com.emotionmonitor.model.ngram.SparseVector;
import com.emotionmonitor.model.ngram.VocabularyStamp;

import com.emotionmonitor.model.Emotion;
import com.emotionmonitor.text.Encoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;

/**
 * Fits an {@link NgramClassifier}: IDF on the training posts, then full-batch L-BFGS on the class-balanced,
 * L2-regularised multinomial logistic loss from W = 0. The problem is strictly convex and the optimiser
 * deterministic, so the result depends only on the data, the settings and the config: no seed involved.
 */
public final class NgramTrainer {

    /** Progress callback: one call per L-BFGS iteration. */
    @FunctionalInterface
    public interface Progress {
        void iteration(int iteration, double loss, double gradientMaxNorm);
    }

    /**
     * @param iterations L-BFGS iterations run
     * @param evaluations loss + gradient evaluations (line-search trials included)
     * @param stop why it stopped: gradient (converged), no-progress, line-search or iterations (capped)
     * @param loss the final regularised objective
     * @param activeBuckets buckets with a non-zero IDF
     * @param nonZeros feature entries over the training posts
     */
    public record Result(NgramClassifier classifier, int iterations, int evaluations, String stop, double loss,
            double gradientMaxNorm, int activeBuckets, long nonZeros, double seconds) {

        public boolean converged() {
            return !stop.equals("iterations");
        }
    }

    private final NgramSettings settings;
    private final NgramTrainingConfig config;

    public NgramTrainer(NgramSettings settings, NgramTrainingConfig config) {
        this.settings = settings;
        this.config = config;
    }

    /** Fits an emotion model: the six classes in {@link Emotion} order. */
    public Result train(List<Encoding> posts, List<Emotion> labels, VocabularyStamp vocabulary, Progress progress) {
        int[] y = labels.stream().mapToInt(Emotion::ordinal).toArray();
        return train(posts, y, NgramClassifier.emotionLabels(), vocabulary, progress);
    }

    /**
     * Fits a model over any named classes (a domain gate, say): {@code y[i]} indexes {@code classNames}.
     */
    public Result train(List<Encoding> posts, int[] y, List<String> classNames, VocabularyStamp vocabulary, Progress progress) {
        if (classNames.size() < 2 || new HashSet<>(classNames).size() != classNames.size()
                || classNames.stream().anyMatch(n -> n.isEmpty() || n.contains(","))) {
            throw new IllegalArgumentException("a classifier needs two or more distinct, non-empty class names without ',' "
                    + "(the model file joins them with commas), got " + classNames);
        }
        if (posts.size() != y.length) {
            throw new IllegalArgumentException(posts.size() + " posts but " + y.length + " labels");
        }
        if (posts.isEmpty()) {
            throw new IllegalArgumentException("no training posts");
        }
        long start = System.nanoTime();
        NgramFeaturizer fitted = NgramFeaturizer.fit(settings, posts);
        // Train on the IDF values the saved model will hold.
        NgramFeaturizer featurizer = new NgramFeaturizer(settings, config.format().round(fitted.idfTable().clone()));
        List<SparseVector> vectors = new ArrayList<>(posts.size());
        for (Encoding p : posts) {
            vectors.add(featurizer.featurize(p));
        }
        FeatureMatrix matrix = FeatureMatrix.of(vectors, settings.buckets());
        int classes = classNames.size();
        for (int label : y) {
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("label " + label + " is not one of the " + classes + " classes " + classNames);
            }
        }
        SoftmaxObjective objective = new SoftmaxObjective(matrix, y, sampleWeights(y, classes, config.balanced()), classes, config.c());
        Lbfgs.Listener listener = progress == null ? null : progress::iteration;
        Lbfgs.Result r = new Lbfgs(config.history(), config.maxIterations(), config.tolerance())
                .minimize(objective, new double[objective.dimension()], listener);

        float[] weights = new float[settings.buckets() * classes];
        for (int col = 0; col < matrix.columns; col++) {
            int base = matrix.bucketOfColumn[col] * classes;
            for (int c = 0; c < classes; c++) {
                weights[base + c] = (float) r.x()[col * classes + c];
            }
        }
        float[] bias = new float[classes];
        for (int c = 0; c < classes; c++) {
            bias[c] = (float) r.x()[objective.biasOffset() + c];
        }
        NgramClassifier model = new NgramClassifier(featurizer, vocabulary, config.format(), classNames, weights, bias);
        return new Result(model, r.iterations(), r.evaluations(), r.stop().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                r.value(), r.gradientMaxNorm(), featurizer.activeBuckets(), matrix.nonZeros(), (System.nanoTime() - start) / 1e9);
    }

    /**
     * sklearn's {@code class_weight="balanced"}: {@code n / (k * n_class)} over the k classes present, so
     * the weights average 1 per post; all 1 when not balanced.
     */
    static double[] sampleWeights(int[] y, int classes, boolean balanced) {
        double[] w = new double[y.length];
        if (!balanced) {
            Arrays.fill(w, 1);
            return w;
        }
        int[] counts = new int[classes];
        for (int label : y) {
            counts[label]++;
        }
        int present = 0;
        for (int n : counts) {
            if (n > 0) {
                present++;
            }
        }
        for (int i = 0; i < y.length; i++) {
            w[i] = (double) y.length / (present * counts[y[i]]);
        }
        return w;
    }
}
