package com.emotionmonitor.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.training.loss.Loss;
import com.emotionmonitor.model.BatchPredictor;
import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.model.DeviceSelector;
import com.emotionmonitor.model.Emotion;
import com.emotionmonitor.model.ModelShapes;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.model.nn.BertInputs;
import com.emotionmonitor.model.nn.BlockWeights;
import com.emotionmonitor.model.nn.EmotionClassifierBlock;
import com.emotionmonitor.model.ngram.WeightFormat;
import com.emotionmonitor.text.Encoding;
import com.emotionmonitor.text.TokenizerVariant;
import com.emotionmonitor.text.Vocabulary;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fine-tunes the classifier (encoder + [CLS] head) on labelled posts: AdamW, warm-up + linear decay,
 * dropout, class-weighted cross-entropy for the imbalance (fear is 4% of usual_train), and model
 * selection on the selection set's macro-F1; the best weights are kept and finally reported on every
 * report set. A run may span sittings: stopped early (time or step limit, {@link #requestStop()}) it leaves a
 * {@link FineTuneCheckpoint}, and {@code resume} continues it; without dropout the steps are exactly those of an
 * uninterrupted run (with dropout the masks after a resume differ: libtorch's generator state is not checkpointed).
 */
public final class FineTuner {

    private static final Logger LOG = LoggerFactory.getLogger(FineTuner.class);
    static final String BEST = "best.params";

    private final FineTuneConfig config;
    /** The start already read by the caller (it needed its vocabulary and tokenizer first), or null: read it in run. */
    private final StartingPoint start;

    private final java.util.concurrent.atomic.AtomicBoolean stopRequested = new java.util.concurrent.atomic.AtomicBoolean();

    public FineTuner(FineTuneConfig config) {
        this(config, null);
    }

    /**
     * @param start {@code StartingPoint.read(config.pretrained(), config.keepLayers())}, already read and verified by
     *     the caller, so that a large start is not read and checksummed twice; null reads it in {@link #run}
     */
    public FineTuner(FineTuneConfig config, StartingPoint start) {
        if (start != null && config.pretrained() == null) {
            throw new IllegalArgumentException("a start (" + start.dir() + ") for a config without one");
        }
        this.config = config;
        this.start = start;
    }

    /** Asks a running {@link #run} to stop at the next step, select, checkpoint and report (SIGTERM). */
    public void requestStop() {
        stopRequested.set(true);
    }

    /** What a run produced: the best weights on disk and how good they are. */
    /** @param tokenizer the tokenizer of the pretrained encoder (ours without one), which the classifier is served with */
    public record Result(Path weights, BertConfig architecture, Vocabulary vocabulary, int bestStep, int steps,
            double selectionMacroF1, Map<String, EvaluationReport> reports, double trainingSeconds, float[] classWeights,
            TokenizerVariant tokenizer) {}

    /**
     * @param train the training posts (already through the model's text pipeline)
     * @param selection the set whose macro-F1 picks the best checkpoint
     * @param reports every set to report at the end (selection included)
     */
    public Result run(Vocabulary vocab, LabeledSet train, LabeledSet selection, List<LabeledSet> reports) throws IOException {
        return run(vocab, train, Selection.of(selection), reports);
    }

    /**
     * @param selection the sets whose mean macro-F1 picks the best checkpoint
     * @param reports every set to report at the end
     */
    public Result run(Vocabulary vocab, LabeledSet train, Selection selection, List<LabeledSet> reports) throws IOException {
        StartingPoint from = start != null ? start
                : config.pretrained() != null ? StartingPoint.read(config.pretrained(), config.keepLayers()) : null;
        BertConfig arch = (from != null ? from.architecture() : config.architecture().withVocabSize(vocab.size()))
                .withDropout(config.dropout());
        TokenizerVariant tokenizer = from != null ? from.tokenizer() : TokenizerVariant.EMOTION_BERT_CHINESE;
        Files.createDirectories(config.workDir());
        Path best = config.workDir().resolve(BEST);
        float[] classWeights = classWeights(train.labels(), config.classWeighting());
        LOG.info("fine-tuning {} on {} posts ({} empty dropped), class weights {}", arch.shortName(), train.size(),
                train.emptyAfterCleaning(), Arrays.toString(classWeights));

        Device device = DeviceSelector.select(config.device());
        // Initialisation and dropout draw from the engine's generator: seed it, or runs are not reproducible.
        ai.djl.engine.Engine.getInstance().setRandomSeed((int) config.seed());
        LengthBucketBatcher batcher = new LengthBucketBatcher(config.maxTokens(), config.maxBatchSize());
        // Each epoch's plan can have a batch more or less (length bucketing after a shuffle): sum them.
        List<List<int[]>> plans = new ArrayList<>();
        int total = 0;
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            List<int[]> plan = batcher.plan(train.lengths(), config.seed(), epoch);
            plans.add(plan);
            total += plan.size();
        }
        int warmup = Math.round(total * config.warmupFraction());
        Path workDir = config.workDir();
        FineTuneState state = new FineTuneState(arch, train.sha256(), selection.name(), selection.sha256(),
                PretrainCheckpoint.vocabSha256(vocab), config.classWeighting(), config.seed(), config.epochs(), total, warmup,
                config.peakLearningRate(), config.weightDecay(), 0, 0, 0, 0, -1, 0,
                from == null ? null : from.named(config.pretrained()));
        FineTuneCheckpoint resumed = config.resume() && FineTuneCheckpoint.exists(workDir) ? FineTuneCheckpoint.read(workDir) : null;
        if (resumed != null) {
            String why = resumed.state().mismatch(state);
            if (why != null) {
                throw new IllegalArgumentException("cannot resume " + workDir.resolve(FineTuneCheckpoint.LATEST) + ": " + why);
            }
            state = resumed.state();
            // The best weights are the checkpoint's: a run killed after saving a better best but before its next
            // checkpoint would otherwise leave a best.params that state.json does not describe.
            if (resumed.best() != null) {
                Files.copy(resumed.best(), best, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.deleteIfExists(best);
            }
            LOG.info(String.format(java.util.Locale.ROOT, "resuming %s at step %d/%d (epoch %d, batch %d; best so far step %d, %.4f)",
                    workDir.resolve(FineTuneCheckpoint.LATEST), state.step(), total, state.epoch(), state.batchCursor(),
                    state.bestStep(), state.bestSelectionF1()));
        } else if (config.resume()) {
            LOG.info("no checkpoint in {}: starting fresh", workDir);
        }
        WarmupLinearDecay schedule = new WarmupLinearDecay(config.peakLearningRate(), warmup, total, 0);
        try (Model model = Model.newInstance("weibo-emotion", device)) {
            EmotionClassifierBlock block = new EmotionClassifierBlock(arch);
            block.setInitializer(new TruncatedNormalInitializer(0.02f), Parameter.Type.WEIGHT);
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, ModelShapes.classifierInputs());
            if (resumed != null) {
                BlockWeights.load(block, model.getNDManager(), resumed.weights());
            } else if (from != null) {
                from.loadInto(block, model.getNDManager());
                LOG.info("initialised from {}", from.describe());
            }
            // AdamW whose moments are checkpointed: a resumed run takes the steps an uninterrupted one would.
            CheckpointedAdamW optimizer = CheckpointedAdamW.forBlock(block, t -> schedule.valueAt(t - 1), config.weightDecay(), 1f);
            if (resumed != null) {
                optimizer.restore(resumed.optimizerState());
            }
            DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()) // unused: the loss is computed here
                    .optDevices(new Device[] {device})
                    .optOptimizer(optimizer);
            try (Trainer trainer = model.newTrainer(tc)) {
                trainer.initialize(ModelShapes.classifierInputs());
                BatchPredictor inTraining = batch -> predict(trainer, batch, vocab.padId());
                ProgressLog progress = new ProgressLog(LOG, "finetune", state.step(), total);
                long start = System.nanoTime();
                double startSeconds = state.trainingSeconds();
                int logEvery = Math.max(1, Math.min(50, total / (4 * config.epochs())));
                int stepsThisRun = 0;
                int scoredAt = -1;
                boolean stopped = false;
                while (!stopped && state.epoch() < config.epochs()) {
                    List<int[]> plan = plans.get(state.epoch());
                    for (int b = state.batchCursor(); b < plan.size(); b++) {
                        double loss = trainStep(trainer, train, plan.get(b), classWeights, vocab.padId());
                        stepsThisRun++;
                        boolean lastOfEpoch = b + 1 == plan.size();
                        int epoch = state.epoch();
                        state = state.advancedTo(state.step() + 1, lastOfEpoch ? epoch + 1 : epoch, lastOfEpoch ? 0 : b + 1,
                                startSeconds + (System.nanoTime() - start) / 1e9);
                        progress.record(loss, realTokens(train, plan.get(b)), 0, 0);
                        if (state.step() % logEvery == 0) {
                            progress.flush(state.step(), epoch, schedule.valueAt(state.step()));
                        }
                        if (config.evalEverySteps() > 0 && state.step() % config.evalEverySteps() == 0) {
                            state = selectAndKeep(state, selection, inTraining, block, best);
                            scoredAt = state.step();
                        }
                        stopped = (config.maxMinutes() > 0 && (System.nanoTime() - start) / 60e9 >= config.maxMinutes())
                                || (config.maxSteps() > 0 && stepsThisRun >= config.maxSteps())
                                || stopRequested.get();
                        if (stopped) {
                            LOG.info("finetune: stopping at step {}/{} (time or step limit, or asked to stop)", state.step(), total);
                            break;
                        }
                        if (config.checkpointEverySteps() > 0 && state.step() % config.checkpointEverySteps() == 0) {
                            checkpoint(block, optimizer, state, best);
                        }
                    }
                    // Always select at the end of an epoch (and at a stop), so the last weights compete too; a step
                    // already scored is not scored again (a selection pass of a large encoder takes minutes).
                    if (scoredAt != state.step() && state.bestStep() != state.step()) {
                        state = selectAndKeep(state, selection, inTraining, block, best);
                        scoredAt = state.step();
                    }
                }
                // A run that checkpoints at all leaves its last state behind: a resume after the end only reports.
                if (stopped || config.checkpointEverySteps() > 0 || resumed != null) {
                    Path written = checkpoint(block, optimizer, state, best);
                    if (stopped) {
                        LOG.info("finetune: checkpoint {}; continue with --resume", written);
                    }
                }
            } finally {
                optimizer.close();
            }
        }
        int bestStep = state.bestStep();
        double bestF1 = state.bestSelectionF1();
        int step = state.step();
        double seconds = state.trainingSeconds();
        if (config.weightFormat() == WeightFormat.F16) {
            roundToF16(arch, best, device);
        }
        // Report from a fresh load of exactly the file that will be published (a trainer's parameter store
        // caches its arrays, so re-loading weights into the training block would evaluate stale ones).
        Map<String, EvaluationReport> out = new LinkedHashMap<>();
        try (com.emotionmonitor.serving.EmotionModel saved = com.emotionmonitor.serving.EmotionModel.unpublished(arch, vocab, tokenizer,
                best, config.device())) {
            for (LabeledSet r : reports) {
                EvaluationReport rep = r.evaluate(saved);
                out.put(r.name(), rep);
                LOG.info(String.format(java.util.Locale.ROOT, "best (step %d) on %s: macro-F1 %.4f accuracy %.4f",
                        bestStep, r.name(), rep.macroF1(), rep.accuracy()));
            }
        }
        return new Result(best, arch, vocab, bestStep, step, bestF1, out, seconds, classWeights, tokenizer);
    }

    /** Scores the current weights; when they are the best so far, saves them and records their step. */
    private static FineTuneState selectAndKeep(FineTuneState state, Selection selection, BatchPredictor inTraining,
            EmotionClassifierBlock block, Path best) throws IOException {
        double f1 = select(selection, inTraining, state.step(), state.bestSelectionF1());
        if (f1 > state.bestSelectionF1()) {
            save(block, best);
            return state.withBest(state.step(), f1);
        }
        return state;
    }

    private Path checkpoint(EmotionClassifierBlock block, CheckpointedAdamW optimizer, FineTuneState state, Path best)
            throws IOException {
        return FineTuneCheckpoint.write(config.workDir(), state, best, dir -> {
            BlockWeights.write(block, dir.resolve(FineTuneCheckpoint.WEIGHTS), WeightFormat.F32);
            optimizer.save(dir.resolve(FineTuneCheckpoint.OPTIMIZER));
        });
    }


    private static double select(Selection selection, BatchPredictor inTraining, int step, double bestSoFar) {
        double f1 = selection.macroF1(inTraining);
        LOG.info(String.format(java.util.Locale.ROOT, "finetune step %d: %s macro-F1 %.4f%s", step, selection.name(), f1,
                f1 > bestSoFar ? " (best so far, saved)" : ""));
        return f1;
    }

    private static double trainStep(Trainer trainer, LabeledSet train, int[] idx, float[] classWeights, int padId) {
        List<Encoding> batch = new ArrayList<>(idx.length);
        long[] labels = new long[idx.length];
        float[] weights = new float[idx.length];
        for (int i = 0; i < idx.length; i++) {
            batch.add(train.encodings().get(idx[i]));
            labels[i] = train.labels().get(idx[i]).ordinal();
            weights[i] = classWeights[(int) labels[i]];
        }
        try (NDManager scope = trainer.getManager().newSubManager()) {
            NDList in = BertInputs.of(scope, batch, padId);
            NDArray gold = scope.create(labels);
            NDArray w = scope.create(weights);
            double value;
            CheckpointedAdamW.zeroGradients(trainer);
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDArray logits = trainer.forward(in).head();
                NDArray loss = weightedCrossEntropy(logits, gold, w);
                gc.backward(loss);
                value = loss.getFloat();
            }
            trainer.step();
            return value;
        }
    }

    /** Mean of w_i * -log p(y_i), normalised by the weights so the scale does not depend on the batch mix. */
    static NDArray weightedCrossEntropy(NDArray logits, NDArray gold, NDArray weights) {
        NDArray logp = logits.logSoftmax(1);
        NDArray nll = logp.mul(gold.oneHot(Emotion.count())).sum(new int[] {1}).neg();
        return nll.mul(weights).sum().div(weights.sum());
    }

    private static List<Prediction> predict(Trainer trainer, List<Encoding> batch, int padId) {
        try (NDManager scope = trainer.getManager().newSubManager()) {
            NDList in = BertInputs.of(scope, batch, padId);
            float[] probs = trainer.evaluate(in).head().softmax(1).toFloatArray();
            int k = Emotion.count();
            List<Prediction> out = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                out.add(Prediction.fromProbabilities(Arrays.copyOfRange(probs, i * k, (i + 1) * k)));
            }
            return out;
        }
    }

    /** Per-class loss weights from the training label frequencies, normalised to a mean of 1. */
    static float[] classWeights(List<Emotion> labels, String scheme) {
        int k = Emotion.count();
        float[] w = new float[k];
        Arrays.fill(w, 1f);
        if (scheme == null || scheme.equals("none")) {
            return w;
        }
        long[] counts = new long[k];
        labels.forEach(e -> counts[e.ordinal()]++);
        double sum = 0;
        for (int i = 0; i < k; i++) {
            double freq = Math.max(1, counts[i]) / (double) labels.size();
            w[i] = (float) switch (scheme) {
                case "inverse" -> 1 / freq;
                case "inverse-sqrt" -> 1 / Math.sqrt(freq);
                default -> throw new IllegalArgumentException("unknown class weighting '" + scheme + "': none, inverse-sqrt, inverse");
            };
            sum += w[i];
        }
        for (int i = 0; i < k; i++) {
            w[i] = (float) (w[i] * k / sum);
        }
        return w;
    }

    private static long realTokens(LabeledSet set, int[] idx) {
        long n = 0;
        for (int i : idx) {
            n += set.encodings().get(i).length();
        }
        return n;
    }

    /** Rewrites the weight file in f16 (half the size), in place: what is reported and published is the rounded model. */
    private static void roundToF16(BertConfig arch, Path file, Device device) throws IOException {
        try (NDManager manager = NDManager.newBaseManager(device)) {
            EmotionClassifierBlock block = new EmotionClassifierBlock(arch);
            block.initialize(manager, DataType.FLOAT32, ModelShapes.classifierInputs());
            BlockWeights.load(block, manager, file);
            BlockWeights.write(block, file, WeightFormat.F16);
        }
        LOG.info("best weights rounded to f16 in {}", file);
    }

    static void save(EmotionClassifierBlock block, Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            block.saveParameters(out);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

}
