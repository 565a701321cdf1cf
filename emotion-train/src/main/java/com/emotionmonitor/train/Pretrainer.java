package com.emotionmonitor.train;

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
import ai.djl.training.optimizer.Optimizer;
import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.model.DeviceSelector;
import com.emotionmonitor.model.ModelShapes;
import com.emotionmonitor.model.nn.BertInputs;
import com.emotionmonitor.model.nn.MaskedLmModel;
import com.emotionmonitor.text.TokenizerVariant;
import com.emotionmonitor.text.PostPreprocessor;
import com.emotionmonitor.text.Preprocessing;
import com.emotionmonitor.text.Vocabulary;
import com.emotionmonitor.text.VocabularyBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Masked-LM pretraining of the encoder on the unlabelled corpus. Runs for hours on a CPU, so it logs
 * progress lines, checkpoints every few minutes (atomically), stops cleanly on SIGTERM/Ctrl-C with a
 * final checkpoint, and resumes exactly where a checkpoint (or a published pretrained encoder in the
 * model store) left off: same vocabulary, same schedule, same data order. Adam moments are not
 * checkpointed: a resumed run re-estimates them within a few dozen steps. A fresh masked-LM run may start from an
 * encoder pretrained elsewhere ({@link PretrainConfig#initFrom()}, e.g. an imported Hugging Face BERT): it keeps that
 * encoder's architecture, vocabulary and tokenizer, and only the masked-LM head starts from random weights.
 */
public final class Pretrainer {

    private static final Logger LOG = LoggerFactory.getLogger(Pretrainer.class);

    private final PretrainConfig config;
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);

    public Pretrainer(PretrainConfig config) {
        this.config = config;
    }

    /** Asks the loop to stop after the current step (with a checkpoint). */
    public void requestStop() {
        stopRequested.set(true);
    }

    /** Waits for {@link #run()} to return (a shutdown hook must not let the JVM exit mid-checkpoint). */
    public boolean awaitFinished(java.time.Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Runs until total steps, the per-run step/time limit or a stop request; returns the final state. */
    public PretrainState run() throws IOException {
        try {
            return runToEnd();
        } finally {
            finished.countDown();
        }
    }

    private PretrainState runToEnd() throws IOException {
        PostPreprocessor preprocessor = PostPreprocessor.standard();
        // Refused or read before anything else, the corpus above all (a minute to load in full).
        PretrainedEncoder init = initialEncoder();
        PretrainCheckpoint resumed = config.resumeFrom() == null ? null : PretrainCheckpoint.read(config.resumeFrom());
        if (resumed != null && !resumed.state().preprocessingVersion().equals(Preprocessing.VERSION)) {
            throw new IllegalStateException("checkpoint " + config.resumeFrom() + " was made with preprocessing "
                    + resumed.state().preprocessingVersion() + " but this build cleans with " + Preprocessing.VERSION);
        }
        LOG.info("loading and cleaning the corpus under {}", config.dataRoot());
        PretrainCorpus corpus = PretrainCorpus.load(config.dataRoot(), preprocessor, config.limitPerFile());
        if (resumed != null && !corpus.rowsPerFile().equals(resumed.state().corpusRowsPerFile())) {
            // The data order is a function of (seed, epoch) over THIS corpus: another corpus is another order.
            throw new IllegalArgumentException("cannot resume from " + config.resumeFrom() + ": the corpus under "
                    + config.dataRoot() + " is not the one it was trained on (texts per file now "
                    + corpus.rowsPerFile() + ", checkpoint " + resumed.state().corpusRowsPerFile() + ")");
        }
        Vocabulary vocab = resumed != null ? resumed.vocabulary() : init != null ? init.vocabulary() : buildVocabulary(corpus);
        BertConfig arch = resumed != null ? resumed.state().architecture()
                : init != null ? init.architecture() : config.architecture().withVocabSize(vocab.size());
        TokenizerVariant tokenizer = resumed != null ? resumed.state().tokenizer()
                : init != null ? init.tokenizer() : TokenizerVariant.EMOTION_BERT_CHINESE;
        // The corpus is read as the encoder was pretrained to read it: an imported BERT names its own tokenizer.
        TokenizedCorpus data = TokenizedCorpus.of(corpus.texts(), tokenizer.create(vocab, arch.maxPositions()));
        LOG.info("vocabulary {} tokens; corpus {} texts, {} tokens (mean {} per text); model {}",
                vocab.size(), data.size(), data.totalTokens(), String.format("%.1f", data.meanLength()), arch.shortName());

        if (resumed != null && config.objective() != null && !config.objective().equals(resumed.state().objective())) {
            throw new IllegalArgumentException("cannot resume " + config.resumeFrom() + " with --objective " + config.objective()
                    + ": it is a " + resumed.state().objective() + " checkpoint");
        }
        PretrainState state = resumed != null ? resumed.state() : initialState(arch, vocab, corpus, tokenizer, init);
        if (config.rewarmTo() > 0) {
            if (resumed == null || config.endAt() <= 0) {
                throw new IllegalArgumentException("--rewarm-to needs --resume and --end-at");
            }
            boolean alreadyPlanned = config.rewarmTo() == state.rewarmPeak() && config.rewarmSteps() == state.rewarmSteps()
                    && config.endAt() == state.totalSteps();
            if (alreadyPlanned) {
                // The same command given again resumes the plan it made; it must not restart the climb.
                LOG.info("schedule already re-warmed at step {} as asked; continuing it", state.shortenedFromStep());
            } else {
                LOG.info("schedule re-planned: re-warm to {} over {} steps, then decay to 0 at step {}", config.rewarmTo(),
                        config.rewarmSteps(), config.endAt());
                state = state.rewarmed(config.rewarmTo(), config.rewarmSteps(), config.endAt());
            }
        } else if (resumed != null && config.endAt() > 0 && config.endAt() != state.totalSteps()) {
            LOG.info("schedule re-planned: ends at step {} instead of {}", config.endAt(), state.totalSteps());
            state = state.endingAt(config.endAt());
        }
        Device device = DeviceSelector.select(config.device());
        // Initialisation and dropout draw from the engine's generator: seed it, or runs are not reproducible.
        ai.djl.engine.Engine.getInstance().setRandomSeed((int) (state.seed() + state.step()));
        if (state.replacedTokenDetection()) {
            try (ReplacedTokenTraining rtd = new ReplacedTokenTraining(state, device, resumed)) {
                if (resumed != null) {
                    LOG.info("resumed ELECTRA run from {} at step {}/{} (generator {})", config.resumeFrom(), state.step(),
                            state.totalSteps(), state.generatorArchitecture().shortName());
                }
                MlmMasker masker = new MlmMasker(vocab, 0.15);
                return loop(data, vocab, state, (seqs, rnd) -> {
                    MlmMasker.MaskedBatch mb = masker.mask(seqs, rnd, vocab.padId(), BertInputs.MASKED);
                    ReplacedTokenTraining.StepResult r = rtd.step(mb, vocab, rnd);
                    return new StepOutcome(r.discriminatorLoss(), r.correct(), r.tokens(), r.generatorLoss(),
                            r.tokens() == 0 ? 0 : (double) r.replaced() / r.tokens());
                }, snapshot -> PretrainCheckpoint.write(config.workDir(), snapshot, vocab, rtd.discriminator(), rtd.generator()));
            }
        }
        try (Model model = Model.newInstance("weibo-bert-mlm", device)) {
            MaskedLmModel block = new MaskedLmModel(arch);
            block.setInitializer(new TruncatedNormalInitializer(0.02f), Parameter.Type.WEIGHT);
            model.setBlock(block);
            Shape[] shapes = ModelShapes.maskedLmInputs();
            block.initialize(model.getNDManager(), DataType.FLOAT32, shapes);
            if (resumed != null) {
                resumed.loadInto(block, model.getNDManager());
                LOG.info("resumed from {} at step {}/{}", config.resumeFrom(), state.step(), state.totalSteps());
            } else if (init != null) {
                loadEncoder(init, block, model.getNDManager());
                LOG.info("encoder initialised from {} ({}, tokenizer {}); the masked-LM head starts fresh", init.dir(),
                        arch.shortName(), tokenizer.id());
            }
            try (Trainer trainer = model.newTrainer(trainingConfig(state, device))) {
                trainer.initialize(shapes);
                MlmMasker masker = new MlmMasker(vocab, 0.15);
                return loop(data, vocab, state, (seqs, rnd) -> maskedLmStep(trainer, masker, vocab, seqs, rnd),
                        snapshot -> PretrainCheckpoint.write(config.workDir(), snapshot, vocab, block, pooler(resumed, init)));
            }
        }
    }

    /** Both objectives' optimizer: AdamW on the run's schedule (resumed at its step), weight decay 0.01, clip 1.0. */
    static DefaultTrainingConfig trainingConfig(PretrainState state, Device device) {
        return new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optDevices(new Device[] {device})
                .optOptimizer(Optimizer.adamW()
                        .optLearningRateTracker(state.schedule(state.step()))
                        .optWeightDecays(0.01f)
                        .optClipGrad(1f)
                        .build());
    }

    private Vocabulary buildVocabulary(PretrainCorpus corpus) {
        VocabularyBuilder builder = new VocabularyBuilder();
        corpus.texts().forEach(builder::add);
        return builder.build(config.minCharCount(), config.minWordCount(), config.maxWords());
    }

    /** The encoder a fresh run starts from ({@code --init}), or null; refused with a resumed run or with ELECTRA. */
    private PretrainedEncoder initialEncoder() throws IOException {
        if (config.initFrom() == null) {
            return null;
        }
        if (config.resumeFrom() != null) {
            throw new IllegalArgumentException("--init starts a fresh run from an encoder and --resume continues a checkpoint"
                    + " (which remembers what it started from): give one of them");
        }
        if (PretrainState.RTD.equals(config.objective())) {
            throw new IllegalArgumentException("--init continues an encoder with masked LM; --objective rtd trains a"
                    + " discriminator and its generator from random weights");
        }
        return PretrainedEncoder.read(config.initFrom());
    }

    private static void loadEncoder(PretrainedEncoder init, MaskedLmModel block, NDManager manager) throws IOException {
        com.emotionmonitor.model.nn.BlockWeights.load(block.encoder(), manager, init.encoderWeights());
    }

    /**
     * The pooler that travels with the checkpoints: masked LM does not train it, so the start's (an imported BERT's
     * pretrained pooler) stays valid for fine-tuning; null when there is none.
     */
    private static Path pooler(PretrainCheckpoint resumed, PretrainedEncoder init) {
        if (resumed != null) {
            return resumed.pooler();
        }
        return init != null ? init.poolerWeights() : null;
    }

    private PretrainState initialState(BertConfig arch, Vocabulary vocab, PretrainCorpus corpus, TokenizerVariant tokenizer,
            PretrainedEncoder init) {
        boolean rtd = PretrainState.RTD.equals(config.objective());
        BertConfig generator = null;
        if (rtd) {
            int hidden = config.generatorHidden() > 0 ? config.generatorHidden() : Math.max(16, arch.hiddenSize() / 4);
            generator = BertConfig.of(arch.vocabSize(), arch.layers(), hidden, Math.max(1, hidden / 64))
                    .withDropout(arch.dropout());
        }
        return new PretrainState(arch, Preprocessing.VERSION, PretrainCheckpoint.vocabSha256(vocab), config.seed(), 0,
                config.totalSteps(), config.warmupSteps(), config.peakLearningRate(), config.maxTokens(),
                config.maxBatchSize(), 0, 0, 0, 0, Double.NaN, Double.NaN, corpus.rowsPerFile(), 0, 0f, 0f, 0,
                rtd ? PretrainState.RTD : PretrainState.MLM, generator, tokenizer, init == null ? null : initialisedFrom(init));
    }

    private static PretrainState.InitialEncoder initialisedFrom(PretrainedEncoder init) {
        return new PretrainState.InitialEncoder(init.dir().toString(), init.architecture().shortName(),
                com.emotionmonitor.store.ArtifactFiles.sha256(init.encoderWeights()), init.poolerWeights() != null);
    }

    /**
     * What one step of an objective measured: its loss, the predictions it got right out of {@code count} (masked
     * tokens for MLM, every token for the discriminator), and for ELECTRA the generator's loss and the share of
     * tokens it replaced (NaN for MLM).
     */
    record StepOutcome(double loss, long correct, long count, double generatorLoss, double replacedShare) {}

    @FunctionalInterface
    interface Step {
        StepOutcome run(int[][] sequences, Random rnd);
    }

    @FunctionalInterface
    interface CheckpointWriter {
        void write(PretrainState snapshot) throws IOException;
    }

    private static StepOutcome maskedLmStep(Trainer trainer, MlmMasker masker, Vocabulary vocab, int[][] seqs, Random rnd) {
        MlmMasker.MaskedBatch mb = masker.mask(seqs, rnd, vocab.padId(), BertInputs.MASKED);
        MaskedLmUpdate u = maskedLmUpdate(trainer, mb, false);
        return new StepOutcome(u.loss(), u.correct(), mb.labels().length, Double.NaN, Double.NaN);
    }

    /** What one masked-LM update measured; {@code logits} (M x V, on the host) only when asked for, else null. */
    record MaskedLmUpdate(double loss, long correct, float[] logits) {}

    /** One masked-LM update of {@code trainer}'s model on a masked batch: BERT's, or ELECTRA's generator. */
    static MaskedLmUpdate maskedLmUpdate(Trainer trainer, MlmMasker.MaskedBatch mb, boolean keepLogits) {
        double loss;
        long correct;
        float[] kept = null;
        try (NDManager batch = trainer.getManager().newSubManager()) {
            NDList in = BertInputs.of(batch, mb.ids(), mb.attentionBias(), mb.batchSize(), mb.length());
            in.add(batch.create(mb.positions()));
            NDArray labels = batch.create(mb.labels());
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDArray logits = trainer.forward(in).head();
                NDArray l = trainer.getLoss().evaluate(new NDList(labels), new NDList(logits));
                gc.backward(l);
                loss = l.getFloat();
                correct = logits.argMax(1).eq(labels).sum().getLong();
                if (keepLogits) {
                    kept = logits.toFloatArray();
                }
            }
            trainer.step();
        }
        return new MaskedLmUpdate(loss, correct, kept);
    }

    private PretrainState loop(TokenizedCorpus data, Vocabulary vocab, PretrainState s, Step objective,
            CheckpointWriter checkpoints) throws IOException {
        LengthBucketBatcher batcher = new LengthBucketBatcher(s.maxTokens(), s.maxBatchSize());
        WarmupLinearDecay lr = s.schedule(0);
        ProgressLog progress = new ProgressLog(LOG, s.replacedTokenDetection() ? "pretrain-rtd" : "pretrain", s.step(),
                s.totalSteps());
        int step = s.step();
        int epoch = s.epoch();
        int cursor = s.batchCursor();
        long tokensSeen = s.tokensSeen();
        double seconds = s.trainingSeconds();
        double lastLoss = s.lastLoss();
        double lastAcc = s.lastAccuracy();
        long runStart = System.nanoTime();
        long lastCheckpoint = System.nanoTime();
        int stepsThisRun = 0;
        long windowCorrect = 0;
        long windowCount = 0;
        double windowGeneratorLoss = 0;
        double windowReplaced = 0;
        int windowSteps = 0;

        while (step < s.totalSteps()) {
            List<int[]> plan = batcher.plan(data.lengths(), s.seed(), epoch);
            for (; cursor < plan.size() && step < s.totalSteps(); cursor++) {
                long t0 = System.nanoTime();
                int[][] seqs = data.sequences(plan.get(cursor));
                Random rnd = new Random(s.seed() * 31 + step);
                StepOutcome o = objective.run(seqs, rnd);
                step++;
                stepsThisRun++;
                long real = data.realTokens(plan.get(cursor));
                tokensSeen += real;
                seconds += (System.nanoTime() - t0) / 1e9;
                progress.record(o.loss(), real, o.correct(), o.count());
                windowCorrect += o.correct();
                windowCount += o.count();
                windowGeneratorLoss += o.generatorLoss();
                windowReplaced += o.replacedShare();
                windowSteps++;
                if (step % config.logEvery() == 0) {
                    lastLoss = progress.flush(step, epoch, lr.valueAt(step));
                    lastAcc = windowCount == 0 ? Double.NaN : (double) windowCorrect / windowCount;
                    if (s.replacedTokenDetection()) {
                        LOG.info(String.format(java.util.Locale.ROOT, "pretrain-rtd step %d: generator MLM loss %.3f, %.1f%% of"
                                + " the tokens replaced, discriminator accuracy %.4f", step, windowGeneratorLoss / windowSteps,
                                100 * windowReplaced / windowSteps, lastAcc));
                    }
                    windowCorrect = 0;
                    windowCount = 0;
                    windowGeneratorLoss = 0;
                    windowReplaced = 0;
                    windowSteps = 0;
                }
                boolean timeUp = config.maxMinutes() > 0 && (System.nanoTime() - runStart) / 60e9 >= config.maxMinutes();
                boolean stepsUp = config.maxStepsThisRun() > 0 && stepsThisRun >= config.maxStepsThisRun();
                boolean due = (System.nanoTime() - lastCheckpoint) / 60e9 >= config.checkpointMinutes();
                if (due || timeUp || stepsUp || stopRequested.get()) {
                    PretrainState snapshot = s.advancedTo(step, epoch, cursor + 1, tokensSeen, seconds, lastLoss, lastAcc);
                    checkpoints.write(snapshot);
                    lastCheckpoint = System.nanoTime();
                    if (timeUp || stepsUp || stopRequested.get()) {
                        LOG.info("stopping at step {} ({}), checkpoint in {}", step,
                                stopRequested.get() ? "stop requested" : timeUp ? "time limit" : "step limit",
                                config.workDir());
                        return snapshot;
                    }
                }
            }
            // A run may end mid-epoch: only a used-up plan starts the next epoch.
            if (cursor >= plan.size()) {
                epoch++;
                cursor = 0;
            }
        }
        PretrainState done = s.advancedTo(step, epoch, cursor, tokensSeen, seconds, lastLoss, lastAcc);
        checkpoints.write(done);
        LOG.info("pretraining finished: {} steps, {} tokens", step, tokensSeen);
        return done;
    }
}
