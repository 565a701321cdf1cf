package com.emotionmonitor.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.model.Emotion;
import com.emotionmonitor.model.ModelShapes;
import com.emotionmonitor.model.ngram.WeightFormat;
import com.emotionmonitor.model.nn.BlockWeights;
import com.emotionmonitor.model.nn.EmotionClassifierBlock;
import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.store.ModelManifest;
import com.emotionmonitor.text.Preprocessing;
import com.emotionmonitor.text.TextPipeline;
import com.emotionmonitor.text.TokenizerVariant;
import com.emotionmonitor.text.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * A randomly initialised classifier written as a model-store version, so {@code bench pipeline} can run the job on a
 * shape no published version has (e.g. bert-base-chinese's). Speed only: its manifest says so, and it is written to a
 * scratch store, never to model-store/.
 */
public final class RandomVersion {

    public static final String NAME = "untrained-benchmark";

    private RandomVersion() {}

    public static Path publish(Path scratchStore, BertConfig architecture, Vocabulary vocab, TokenizerVariant tokenizer)
            throws IOException {
        Path staging = Files.createTempDirectory("random-version-");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            EmotionClassifierBlock block = new EmotionClassifierBlock(architecture);
            block.setInitializer(new TruncatedNormalInitializer(0.02f), Parameter.Type.WEIGHT);
            block.initialize(manager, DataType.FLOAT32, ModelShapes.classifierInputs());
            BlockWeights.write(block, staging.resolve(EmotionModel.WEIGHTS), WeightFormat.F16);
            vocab.save(staging.resolve(EmotionModel.VOCAB));
            ModelManifest manifest = new ModelManifest(NAME, architecture.shortName(), ModelManifest.CLASSIFIER,
                    Instant.now().toString(), architecture, Arrays.stream(Emotion.values()).map(Emotion::label).toList(),
                    TextPipeline.maxTokens(architecture.maxPositions()), Preprocessing.VERSION, null,
                    Map.of("purpose", "speed benchmark only: random weights"), Map.of(), null, null, null, null, tokenizer);
            return ArtifactFiles.publish(staging, scratchStore, manifest);
        } finally {
            try (var files = Files.list(staging)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(staging);
        }
    }
}
