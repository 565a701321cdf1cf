package com.emotionmonitor.cli;

import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.store.ModelManifest;
import com.emotionmonitor.model.ngram.WeightFormat;
import com.emotionmonitor.train.PretrainCheckpoint;
import com.emotionmonitor.train.PretrainState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.util.FileUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/emotion train publish-pretrained}: turns a pretraining checkpoint into an immutable
 * model-store version, so a run that outlives one machine resumes from git on the next.
 */
@Command(name = "publish-pretrained", mixinStandardHelpOptions = true,
        description = "Publish a pretraining checkpoint as model-store/<name>/<version> (kind pretrained-encoder).")
public final class PublishPretrainedCommand implements Callable<Integer> {

    // Not mixinStandardHelpOptions: its -V/--version would collide with this command's --version (the model version),
    // and picocli then reported the missing required options instead of the help.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--from", required = true, description = "A checkpoint dir or a pretraining work dir.")
    Path from;

    @Option(names = "--name", defaultValue = "weibo-bert-mlm") String name;

    @Option(names = "--version", required = true, description = "New, unused version name, e.g. 2026-11-22.1.")
    String version;

    @Option(names = "--store", description = "Model store root (default: model-store/).") Path store;

    @Option(names = "--weights", defaultValue = "f32", description = "Stored precision of the weights: f32 (as trained) or "
            + "f16 (half the size; resuming continues from the rounded weights). Default ${DEFAULT-VALUE}.")
    String weights;

    @Override
    public Integer call() throws Exception {
        ProjectPaths.requireDirectory(from, "--from");
        WeightFormat format = WeightFormat.parse(weights);
        PretrainCheckpoint checkpoint = PretrainCheckpoint.read(from);
        Path dir = Files.isRegularFile(from.resolve(PretrainCheckpoint.STATE)) ? from : from.resolve(PretrainCheckpoint.LATEST);
        PretrainState s = checkpoint.state();
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("objective", "masked LM, 15% of tokens (80% [MASK], 10% random, 10% kept), no NSP");
        training.put("step", s.step());
        training.put("total_steps", s.totalSteps());
        training.put("warmup_steps", s.warmupSteps());
        training.put("peak_learning_rate", s.peakLearningRate());
        training.put("optimizer", "AdamW, weight decay 0.01, warmup + linear decay");
        if (s.shortenedFromStep() > 0) {
            training.put("schedule_replanned", String.format(java.util.Locale.ROOT,
                    "at step %d (learning rate %.3g) to %sdecay linearly to 0 at step %d (--end-at)",
                    s.shortenedFromStep(), s.rateAtShortening(), s.rewarmSteps() > 0 ? String.format(java.util.Locale.ROOT,
                            "re-warm to %.3g over %d steps, then ", s.rewarmPeak(), s.rewarmSteps()) : "", s.totalSteps()));
        }
        training.put("max_tokens_per_batch", s.maxTokens());
        training.put("max_batch_size", s.maxBatchSize());
        training.put("epoch", s.epoch());
        training.put("tokens_seen", s.tokensSeen());
        training.put("training_seconds", Math.round(s.trainingSeconds()));
        training.put("seed", s.seed());
        training.put("corpus_rows_per_file", s.corpusRowsPerFile());
        if (s.initialisedFrom() != null) {
            training.put("initialised_from", s.initialisedFrom());
        }
        training.put("weights_format", format.name().toLowerCase(java.util.Locale.ROOT));
        training.put("resume", "bin/emotion train pretrain --resume model-store/" + name + "/" + version + " --work-dir work/pretrain");
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("mlm_loss", s.lastLoss());
        metrics.put("mlm_accuracy", s.lastAccuracy());
        ModelManifest manifest = new ModelManifest(name, version, ModelManifest.PRETRAINED_ENCODER, Instant.now().toString(),
                s.architecture(), List.of(), s.architecture().maxPositions(), s.preprocessingVersion(),
                s.initialisedFrom() == null ? null : s.initialisedFrom().path(), training, metrics, null,
                null, null, null, s.tokenizer());
        Path published;
        if (format == WeightFormat.F32) {
            published = ArtifactFiles.publish(dir, store != null ? store : ProjectPaths.modelStore(), manifest);
        } else {
            Path staging = Files.createTempDirectory("publish-pretrained-");
            try {
                checkpoint.copyTo(staging, format);
                published = ArtifactFiles.publish(staging, store != null ? store : ProjectPaths.modelStore(), manifest);
            } finally {
                FileUtils.deleteDirectoryQuietly(staging.toFile());
            }
        }
        System.out.println("published " + published + " (step " + s.step() + "/" + s.totalSteps() + ")");
        return 0;
    }
}
