package com.emotionmonitor.model.ngram;

import com.emotionmonitor.model.BatchPredictor;
import com.emotionmonitor.model.Emotion;
import com.emotionmonitor.model.ModelLoadException;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.text.Encoding;
import com.emotionmonitor.text.Vocabulary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Multinomial logistic regression over hashed character n-gram TF-IDF features: the light half of a
 * BERT + n-gram ensemble, and the domain gate of a routed version. Takes the same {@link Encoding}s as
 * the BERT, so it runs in the same batched path. Its classes are named in the model: the six emotions in
 * {@link Emotion} order for an emotion model (the only kind {@link #predict} serves), or any others (the
 * gate's domains). Immutable and thread-safe; a post costs one featurisation and (features x classes)
 * multiply-adds, no padding.
 */
public final class NgramClassifier implements BatchPredictor {

    /** The one file a saved model consists of. */
    public static final String FILE_NAME = "ngram.bin";

    private final NgramFeaturizer featurizer;
    private final VocabularyStamp vocabulary;
    private final WeightFormat format;
    private final List<String> labels;
    /** Bucket-major: {@code weights[bucket * classes + class]}, so one feature's per-class weights are adjacent. */
    private final float[] weights;
    private final float[] bias;

    /**
     * Takes ownership of the arrays and rounds the IDF table and the weights to {@code format}, so this
     * instance predicts exactly as its saved copy will.
     */
    public NgramClassifier(NgramFeaturizer featurizer, VocabularyStamp vocabulary, WeightFormat format, List<String> labels,
            float[] weights, float[] bias) {
        int classes = labels.size();
        if (classes < 2 || weights.length != featurizer.settings().buckets() * classes || bias.length != classes) {
            throw new IllegalArgumentException("weights must be buckets x " + classes + " and bias " + classes + ": got "
                    + weights.length + " and " + bias.length);
        }
        this.featurizer = format == WeightFormat.F32 ? featurizer
                : new NgramFeaturizer(featurizer.settings(), format.round(featurizer.idfTable().clone()));
        this.vocabulary = vocabulary;
        this.format = format;
        this.labels = List.copyOf(labels);
        this.weights = format.round(weights);
        this.bias = bias;
    }

    public static NgramClassifier load(Path dir) throws IOException {
        return read(dir.resolve(FILE_NAME));
    }

    /** Reads a model file of any name (a routed version holds several). */
    public static NgramClassifier read(Path file) throws IOException {
        return NgramModelFile.read(file);
    }

    /** Writes {@code dir/ngram.bin} (creating {@code dir}); returns the file. */
    public Path save(Path dir) throws IOException {
        return write(dir.resolve(FILE_NAME));
    }

    /** Writes this model to {@code file} (creating its directory); returns the file. */
    public Path write(Path file) throws IOException {
        return NgramModelFile.write(this, file);
    }

    /** The emotion labels in {@link Emotion} order: what an emotion model's classes must be. */
    public static List<String> emotionLabels() {
        return Arrays.stream(Emotion.values()).map(Emotion::label).toList();
    }

    /** Refuses (naming {@code what}) a model whose classes are not exactly {@code expected}, in that order. */
    public void requireLabels(List<String> expected, String what) {
        if (!labels.equals(expected)) {
            throw new ModelLoadException(what + " was trained with classes " + labels + " in that order, expected " + expected);
        }
    }

    @Override
    public List<Prediction> predict(List<Encoding> batch) {
        if (!labels.equals(emotionLabels())) {
            throw new IllegalStateException("an n-gram model over " + labels + " does not predict emotions");
        }
        List<Prediction> out = new ArrayList<>(batch.size());
        for (Encoding e : batch) {
            out.add(Prediction.fromProbabilities(probabilities(e)));
        }
        return out;
    }

    /** Softmax probabilities in {@link #labels()} order. */
    public float[] probabilities(Encoding post) {
        double[] z = logits(featurizer.featurize(post));
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int c = 0; c < z.length; c++) {
            z[c] = Math.exp(z[c] - max);
            sum += z[c];
        }
        float[] p = new float[z.length];
        for (int c = 0; c < z.length; c++) {
            p[c] = (float) (z[c] / sum);
        }
        return p;
    }

    double[] logits(SparseVector x) {
        int classes = bias.length;
        double[] z = new double[classes];
        for (int c = 0; c < classes; c++) {
            z[c] = bias[c];
        }
        int[] idx = x.indices();
        float[] val = x.values();
        for (int k = 0; k < idx.length; k++) {
            int base = idx[k] * classes;
            float v = val[k];
            for (int c = 0; c < classes; c++) {
                z[c] += v * weights[base + c];
            }
        }
        return z;
    }

    /** Refuses a vocabulary other than the one the model was trained with (ids would mean other characters). */
    public void requireVocabulary(Vocabulary vocab) {
        VocabularyStamp given = VocabularyStamp.of(vocab);
        if (!given.equals(vocabulary)) {
            throw new ModelLoadException("n-gram model was trained over " + vocabulary + " but the pipeline uses " + given
                    + ": token ids would mean different characters");
        }
    }

    public NgramFeaturizer featurizer() {
        return featurizer;
    }

    public NgramSettings settings() {
        return featurizer.settings();
    }

    public VocabularyStamp vocabulary() {
        return vocabulary;
    }

    public List<String> labels() {
        return labels;
    }

    public WeightFormat format() {
        return format;
    }

    float[] weights() {
        return weights;
    }

    float[] bias() {
        return bias;
    }
}
