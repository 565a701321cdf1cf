package com.emotionmonitor.train.distill;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.training.loss.Loss;
import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.model.DeviceSelector;
import com.emotionmonitor.model.Emotion;
import com.emotionmonitor.model.ModelShapes;
import com.emotionmonitor.model.nn.BertInputs;
import com.emotionmonitor.model.nn.BlockWeights;
import com.emotionmonitor.model.nn.EmotionClassifierBlock;
import com.emotionmonitor.model.ngram.WeightFormat;
import com.emotionmonitor.text.Encoding;
import com.emotionmonitor.text.TextPipeline;
import com.emotionmonitor.text.TokenizerVariant;
import com.emotionmonitor.text.Vocabulary;
import com.emotionmonitor.text.WordPieceTokenizer;
import com.emotionmonitor.train.CheckpointedAdamW;
import com.emotionmonitor.train.LengthBucketBatcher;
import com.emotionmonitor.train.PretrainCheckpoint;
import com.emotionmonitor.train.StartingPoint;
import com.emotionmonitor.train.DistillCheckpoint;
import com.emotionmonitor.train.DistillState;
import com.emotionmonitor.train.WarmupLinearDecay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Teacher -> student over an unlabelled corpus: the student BERT classifier learns the teacher's softened
 * probabilities, loss {@code T^2 KL(teacher_T || student_T)} (Hinton et al. 2015), AdamW with warm-up and linear
 * decay, in length-bucketed batches of a seeded plan per epoch. Checkpointed every N steps (weights, optimizer
 * moments, data position) and resumable: with dropout 0 a resumed run takes exactly the steps an uninterrupted one
 * does (with dropout, the dropout masks after a resume differ: libtorch's generator state is not checkpointed). The
 * gold-label phase follows with {@code train finetune --pretrained <work dir>}.
 */
public final class Distiller {

    private static final Logger LOG = LoggerFactory.getLogger(Distiller.class);

    /** How many texts the before/after KL figure is measured on. */
    static final int KL_SAMPLE = 4096;

    private final DistillConfig config;
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    /** {@code config.pretrained()} read and verified once, on first use (its checksums cover tens of MB). */
    private StartingPoint start;

    /** What a run did: where it stands now, and the student's mean KL to the teacher (T = 1) before and after. */
    public record Result(DistillState state, Path checkpoint, double klBefore, double klAfter) {}

    public Distiller(DistillConfig config) {
        this.config = config;
    }

    /**
     * Where a fresh student starts, or null for a random one: {@code config.pretrained()} (a pretrained encoder, whose
     * head starts fresh, or a whole classifier, head included: a published version, e.g. one trained on an
     * intermediate task or imported, or another distillation's student), cut to {@code config.keepLayers()}. The
     * student reads the corpus with the start's own tokenizer and vocabulary.
     */
    public StartingPoint startingPoint() throws IOException {
        if (start == null && config.pretrained() != null) {
            start = StartingPoint.read(config.pretrained(), config.keepLayers());
        }
        return start;
    }

    /** Asks a running {@link #run} to checkpoint and return at the next step (SIGTERM). */
    public void requestStop() {
        stopRequested.set(true);
    }

    /**
     * Distils {@code labels} (the teacher's probabilities of {@code texts}, cleaned and truncated as the student sees
     * them) into the student; continues the work directory's checkpoint when {@code resume}.
     *
     * @param progress told the step after each one (a progress bar)
     */
    public Result run(List<String> texts, Vocabulary vocab, TeacherLabels labels, boolean resume, Consumer<DistillState> progress)
            throws IOException {
        if (labels.size() != texts.size()) {
            throw new IllegalArgumentException(labels.size() + " teacher labels for " + texts.size() + " texts");
        }
        String vocabSha = PretrainCheckpoint.vocabSha256(vocab);
        DistillState state = resume && DistillCheckpoint.exists(config.workDir())
                ? resumed(DistillCheckpoint.read(config.workDir()), labels, vocabSha)
                : fresh(labels, vocabSha);
        BertConfig arch = state.architecture().withDropout(config.dropout());
        // The student reads the corpus as its start was trained to (an imported BERT names its tokenizer).
        WordPieceTokenizer tokenizer = state.tokenizer().create(vocab, TextPipeline.maxTokens(arch.maxPositions()));
        List<Encoding> encodings = new ArrayList<>(texts.size());
        int[] lengths = new int[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
            Encoding e = tokenizer.encode(texts.get(i));
            encodings.add(e);
            lengths[i] = e.length();
        }
        float[][] targets = softened(labels, config.temperature());
        Device device = DeviceSelector.select(config.device());
        ai.djl.engine.Engine.getInstance().setRandomSeed((int) config.seed());
        LengthBucketBatcher batcher = new LengthBucketBatcher(config.maxTokens(), config.maxBatchSize());
        WarmupLinearDecay schedule = new WarmupLinearDecay(state.peakLearningRate(), state.warmupSteps(), state.totalSteps(), 0);
        double klBefore;
        double klAfter;
        Path checkpoint;
        try (Model model = Model.newInstance("distill-student", device)) {
            EmotionClassifierBlock block = new EmotionClassifierBlock(arch);
            block.setInitializer(new TruncatedNormalInitializer(0.02f), Parameter.Type.WEIGHT);
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, ModelShapes.classifierInputs());
            Path resumeFrom = resume && DistillCheckpoint.exists(config.workDir()) ? DistillCheckpoint.read(config.workDir()).dir() : null;
            loadStart(block, model.getNDManager(), resumeFrom);
            CheckpointedAdamW optimizer = CheckpointedAdamW.forBlock(block, t -> schedule.valueAt(t - 1), config.weightDecay(), 1f);
            if (resumeFrom != null && Files.isRegularFile(resumeFrom.resolve(DistillCheckpoint.OPTIMIZER))) {
                optimizer.restore(resumeFrom.resolve(DistillCheckpoint.OPTIMIZER));
            }
            DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.l2Loss()) // unused: the loss is computed here
                    .optDevices(new Device[] {device})
                    .optOptimizer(optimizer);
            try (Trainer trainer = model.newTrainer(tc)) {
                trainer.initialize(ModelShapes.classifierInputs());
                klBefore = resumeFrom != null ? Double.NaN : meanKl(trainer, encodings, labels, vocab.padId(), batcher);
                long start = System.nanoTime();
                double startSeconds = state.trainingSeconds();
                int stepsThisRun = 0;
                double windowLoss = 0;
                int windowSteps = 0;
                outer:
                while (state.step() < state.totalSteps()) {
                    List<int[]> plan = batcher.plan(lengths, state.seed(), state.epoch());
                    for (int b = state.batchCursor(); b < plan.size(); b++) {
                        double loss = trainStep(trainer, encodings, targets, plan.get(b), vocab.padId(), config.temperature());
                        stepsThisRun++;
                        windowLoss += loss;
                        windowSteps++;
                        boolean lastOfEpoch = b + 1 == plan.size();
                        state = state.advancedTo(state.step() + 1, lastOfEpoch ? state.epoch() + 1 : state.epoch(),
                                lastOfEpoch ? 0 : b + 1, loss, startSeconds + (System.nanoTime() - start) / 1e9);
                        progress.accept(state);
                        if (state.step() % Math.max(1, config.logEvery()) == 0) {
                            LOG.info(String.format(Locale.ROOT, "distill step %d/%d | epoch %d | KL %.4f | lr %.2e",
                                    state.step(), state.totalSteps(), state.epoch(), windowLoss / windowSteps,
                                    schedule.valueAt(state.step() - 1)));
                            windowLoss = 0;
                            windowSteps = 0;
                        }
                        boolean stop = state.step() >= state.totalSteps()
                                || (config.maxSteps() > 0 && stepsThisRun >= config.maxSteps())
                                || (config.maxMinutes() > 0 && (System.nanoTime() - start) / 60e9 >= config.maxMinutes())
                                || stopRequested.get();
                        if (!stop && config.checkpointEverySteps() > 0 && state.step() % config.checkpointEverySteps() == 0) {
                            save(block, optimizer, state, vocab);
                        }
                        if (stop) {
                            break outer;
                        }
                    }
                }
                checkpoint = save(block, optimizer, state, vocab);
                klAfter = meanKl(trainer, encodings, labels, vocab.padId(), batcher);
                LOG.info(String.format(Locale.ROOT, "distill: stopped at step %d/%d; mean KL(teacher || student) over %d sampled texts %s -> %.4f;"
                        + " checkpoint %s", state.step(), state.totalSteps(), Math.min(KL_SAMPLE, encodings.size()), Double.isNaN(klBefore) ? "?" : String.format(Locale.ROOT, "%.4f", klBefore),
                        klAfter, checkpoint));
            } finally {
                optimizer.close();
            }
        }
        return new Result(state, checkpoint, klBefore, klAfter);
    }

    private DistillState fresh(TeacherLabels labels, String vocabSha) throws IOException {
        BertConfig arch = config.pretrained() != null ? startingPoint().architecture() : config.architecture();
        return new DistillState(arch, labels.teacherId(), labels.teacherSha256(), labels.corpusSha256(), vocabSha,
                config.temperature(), config.seed(), 0, config.totalSteps(), config.warmupSteps(), config.peakLearningRate(),
                0, 0, Double.NaN, 0, config.pretrained() == null ? null
                        : startingPoint().named(config.pretrained()),
                config.pretrained() == null ? TokenizerVariant.EMOTION_BERT_CHINESE : startingPoint().tokenizer());
    }

    /** The checkpoint's state, if it learns from these labels with this vocabulary; else the reason. */
    private DistillState resumed(DistillCheckpoint ckpt, TeacherLabels labels, String vocabSha) {
        DistillState s = ckpt.state();
        if (!s.teacherSha256().equals(labels.teacherSha256()) || !s.corpusSha256().equals(labels.corpusSha256())) {
            throw new IllegalArgumentException("cannot resume " + ckpt.dir() + ": it learns from teacher " + s.teacherId()
                    + " over corpus " + s.corpusSha256() + ", these labels are from " + labels.teacherId() + " over "
                    + labels.corpusSha256());
        }
        if (!s.vocabSha256().equals(vocabSha)) {
            throw new IllegalArgumentException("cannot resume " + ckpt.dir() + ": its vocabulary is not the one given");
        }
        if (s.temperature() != config.temperature() || s.seed() != config.seed()) {
            throw new IllegalArgumentException("cannot resume " + ckpt.dir() + ": it runs at temperature " + s.temperature()
                    + " with seed " + s.seed() + ", not " + config.temperature() + " / " + config.seed());
        }
        LOG.info("distill: resuming {} at step {}/{} (epoch {}, batch {})", ckpt.dir(), s.step(), s.totalSteps(), s.epoch(),
                s.batchCursor());
        return s;
    }

    private void loadStart(EmotionClassifierBlock block, NDManager manager, Path resumeFrom) throws IOException {
        if (resumeFrom != null) {
            BlockWeights.load(block, manager, resumeFrom.resolve(DistillCheckpoint.STUDENT));
        } else if (config.pretrained() != null) {
            startingPoint().loadInto(block, manager);
        }
    }

    private Path save(EmotionClassifierBlock block, CheckpointedAdamW optimizer, DistillState state, Vocabulary vocab)
            throws IOException {
        return DistillCheckpoint.write(config.workDir(), state, vocab, dir -> {
            BlockWeights.write(block, dir.resolve(DistillCheckpoint.STUDENT), WeightFormat.F32);
            optimizer.save(dir.resolve(DistillCheckpoint.OPTIMIZER));
        });
    }

    /** {@code p^(1/T)}, renormalised: the teacher's distribution softened by the temperature. */
    static float[][] softened(TeacherLabels labels, float temperature) {
        float[][] out = new float[labels.size()][];
        for (int i = 0; i < labels.size(); i++) {
            float[] p = labels.probabilities(i);
            double sum = 0;
            double[] q = new double[p.length];
            for (int k = 0; k < p.length; k++) {
                q[k] = Math.pow(Math.max(p[k], 1e-8), 1.0 / temperature);
                sum += q[k];
            }
            float[] row = new float[p.length];
            for (int k = 0; k < p.length; k++) {
                row[k] = (float) (q[k] / sum);
            }
            out[i] = row;
        }
        return out;
    }

    private static double trainStep(Trainer trainer, List<Encoding> encodings, float[][] targets, int[] idx, int padId,
                                    float temperature) {
        List<Encoding> batch = new ArrayList<>(idx.length);
        float[] target = new float[idx.length * Emotion.count()];
        for (int i = 0; i < idx.length; i++) {
            batch.add(encodings.get(idx[i]));
            System.arraycopy(targets[idx[i]], 0, target, i * Emotion.count(), Emotion.count());
        }
        try (NDManager scope = trainer.getManager().newSubManager()) {
            NDList in = BertInputs.of(scope, batch, padId);
            NDArray p = scope.create(target, new Shape(idx.length, Emotion.count()));
            double value;
            CheckpointedAdamW.zeroGradients(trainer);
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDArray logits = trainer.forward(in).head();
                NDArray loss = klLoss(logits, p, temperature);
                gc.backward(loss);
                value = loss.getFloat();
            }
            trainer.step();
            return value;
        }
    }

    /** {@code T^2 * mean_batch sum_k p_k (log p_k - log softmax(z/T)_k)}: Hinton's scaling keeps the gradient size. */
    static NDArray klLoss(NDArray logits, NDArray teacher, float temperature) {
        NDArray logq = logits.div(temperature).logSoftmax(1);
        NDArray logp = teacher.clip(1e-8f, 1f).log();
        return teacher.mul(logp.sub(logq)).sum(new int[] {1}).mean().mul(temperature * temperature);
    }

    /**
     * Mean KL(teacher || student) at temperature 1, in batches (no gradients), over an evenly spaced sample of at most
     * {@value #KL_SAMPLE} texts: over the whole corpus it would cost a teacher pass of its own (20 min for 245 k posts).
     */
    private static double meanKl(Trainer trainer, List<Encoding> encodings, TeacherLabels labels, int padId,
                                 LengthBucketBatcher batcher) {
        int n = Math.min(KL_SAMPLE, encodings.size());
        int[] sample = new int[n];
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            sample[i] = (int) ((long) i * encodings.size() / n);
            lengths[i] = encodings.get(sample[i]).length();
        }
        double sum = 0;
        for (int[] planned : batcher.plan(lengths, 0, 0)) {
            int[] idx = new int[planned.length];
            for (int i = 0; i < planned.length; i++) {
                idx[i] = sample[planned[i]];
            }
            try (NDManager scope = trainer.getManager().newSubManager()) {
                List<Encoding> batch = new ArrayList<>(idx.length);
                float[] target = new float[idx.length * Emotion.count()];
                for (int i = 0; i < idx.length; i++) {
                    batch.add(encodings.get(idx[i]));
                    System.arraycopy(labels.probabilities(idx[i]), 0, target, i * Emotion.count(), Emotion.count());
                }
                NDArray logits = trainer.evaluate(BertInputs.of(scope, batch, padId)).head();
                NDArray p = scope.create(target, new Shape(idx.length, Emotion.count()));
                sum += klLoss(logits, p, 1f).getFloat() * idx.length;
            }
        }
        return sum / n;
    }
}
