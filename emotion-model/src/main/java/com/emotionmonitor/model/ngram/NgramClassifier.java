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
import java.util.List;

/**
 * Multinomial logistic regression over hashed character n-gram TF-IDF features: the light half of a
 * BERT + n-gram ensemble. Takes the same {@link Encoding}s as the BERT, so it runs in the same batched
 * path; the six probabilities are in {@link Emotion} order. Immutable and thread-safe; a post costs one
 * featurisation and (features x 6) multiply-adds, no padding.
 */
public final class NgramClassifier implements BatchPredictor {

    /** The one file a saved model consists of. */
    public static final String FILE_NAME = "ngram.bin";

    private final NgramFeaturizer featurizer;
    private final VocabularyStamp vocabulary;
    private final WeightFormat format;
    /** Bucket-major: {@code weights[bucket * classes + class]}, so one feature's six weights are adjacent. */
    private final float[] weights;
    private final float[] bias;

    /**
     * Takes ownership of the arrays and rounds the IDF table and the weights to {@code format}, so this
     * instance predicts exactly as its saved copy will.
     */
    NgramClassifier(NgramFeaturizer featurizer, VocabularyStamp vocabulary, WeightFormat format, float[] weights, float[] bias) {
        int classes = Emotion.count();
        if (weights.length != featurizer.settings().buckets() * classes || bias.length != classes) {
            throw new IllegalArgumentException("weights must be buckets x " + classes + " and bias " + classes + ": got "
                    + weights.length + " and " + bias.length);
        }
        this.featurizer = format == WeightFormat.F32 ? featurizer
                : new NgramFeaturizer(featurizer.settings(), format.round(featurizer.idfTable().clone()));
        this.vocabulary = vocabulary;
        this.format = format;
        this.weights = format.round(weights);
        this.bias = bias;
    }

    public static NgramClassifier load(Path dir) throws IOException {
        return NgramModelFile.read(dir.resolve(FILE_NAME));
    }

    /** Writes {@code dir/ngram.bin} (creating {@code dir}); returns the file. */
    public Path save(Path dir) throws IOException {
        return NgramModelFile.write(this, dir.resolve(FILE_NAME));
    }

    @Override
    public List<Prediction> predict(List<Encoding> batch) {
        List<Prediction> out = new ArrayList<>(batch.size());
        for (Encoding e : batch) {
            out.add(Prediction.fromProbabilities(probabilities(e)));
        }
        return out;
    }

    /** Softmax probabilities in {@link Emotion} order. */
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
