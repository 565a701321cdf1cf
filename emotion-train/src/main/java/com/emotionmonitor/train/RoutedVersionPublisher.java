package com.emotionmonitor.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.model.nn.BlockWeights;
import com.emotionmonitor.model.nn.MalformedWeightsException;
import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.model.ModelLoadException;
import com.emotionmonitor.store.ModelManifest;
import com.emotionmonitor.store.ReferenceDistribution;
import com.emotionmonitor.model.ModelShapes;
import com.emotionmonitor.model.ngram.NgramClassifier;
import com.emotionmonitor.model.ngram.NgramSettings;
import com.emotionmonitor.train.ngram.NgramTrainer;
import com.emotionmonitor.train.ngram.NgramTrainingConfig;
import com.emotionmonitor.model.ngram.VocabularyStamp;
import com.emotionmonitor.model.ngram.WeightFormat;
import com.emotionmonitor.model.nn.EmotionClassifierBlock;
import com.emotionmonitor.text.Encoding;
import com.emotionmonitor.text.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Publishes a routed version from two published classifiers of the same encoder family: the main model
 * (its files as they are) and an expert (its weights and n-gram renamed {@code expert-*}), plus a domain
 * gate trained here. The metrics in the manifest are measured on the routed version itself, loaded from
 * a staged copy, so they are the served figures.
 */
public final class RoutedVersionPublisher {

    public static final String EXPERT_WEIGHTS = "expert-" + EmotionModel.WEIGHTS;
    public static final String EXPERT_NGRAM = "expert-" + NgramClassifier.FILE_NAME;
    public static final String GATE = "gate-" + NgramClassifier.FILE_NAME;

    private RoutedVersionPublisher() {}

    /** Fits the gate: class 0 = the main domain's posts, class 1 = the expert domain's, balanced. */
    public static NgramTrainer.Result trainGate(List<Encoding> mainDomain, List<Encoding> expertDomain, List<String> domains,
            Vocabulary vocab, NgramSettings settings, NgramTrainingConfig config) {
        if (domains.size() != 2) {
            throw new IllegalArgumentException("a gate separates two domains, got " + domains);
        }
        List<Encoding> posts = new ArrayList<>(mainDomain.size() + expertDomain.size());
        posts.addAll(mainDomain);
        posts.addAll(expertDomain);
        int[] y = new int[posts.size()];
        Arrays.fill(y, mainDomain.size(), y.length, 1);
        return new NgramTrainer(settings, config).train(posts, y, domains, VocabularyStamp.of(vocab), null);
    }

    /**
     * Refuses a pair that cannot share one version: either routed already, or trained with another
     * architecture, vocabulary or text front end (one pipeline tokenizes every post before the gate).
     */
    public static void requireCompatible(Path mainDir, ModelManifest main, Path expertDir, ModelManifest expert) {
        for (var v : List.of(Map.entry(mainDir, main), Map.entry(expertDir, expert))) {
            if (v.getValue().routing() != null) {
                throw new ModelLoadException(v.getKey() + " is a routed version already; route two plain versions");
            }
        }
        if (!Objects.equals(main.architecture(), expert.architecture())) {
            throw new ModelLoadException(expertDir + " has architecture " + expert.architecture() + ", " + mainDir + " has "
                    + main.architecture());
        }
        if (!main.preprocessingVersion().equals(expert.preprocessingVersion()) || main.maxLength() != expert.maxLength()
                || main.tokenizer() != expert.tokenizer()) {
            throw new ModelLoadException(expertDir + " was trained with preprocessing " + expert.preprocessingVersion()
                    + " / max length " + expert.maxLength() + " / tokenizer " + expert.tokenizer().id() + ", " + mainDir
                    + " with " + main.preprocessingVersion() + " / " + main.maxLength() + " / " + main.tokenizer().id());
        }
        String a = main.files().get(EmotionModel.VOCAB);
        String b = expert.files().get(EmotionModel.VOCAB);
        if (a == null || !a.equals(b)) {
            throw new ModelLoadException(expertDir + " has another vocab.txt than " + mainDir + ": token ids would differ");
        }
    }

    /** Evaluates a staged routed version: one entry per evaluation set name. */
    @FunctionalInterface
    public interface Evaluation {
        Map<String, Object> measure(EmotionModel routed) throws IOException;
    }

    /**
     * Stages the files (both BERTs' weights stored in {@code weights}), measures the routed version with
     * {@code evaluation}, then publishes it as {@code storeRoot/name/version}. Both sources must be verified
     * published versions. The metrics are measured on the staged files, so float16 storage is measured too.
     */
    public static Path publish(Path mainDir, Path expertDir, NgramClassifier gate, double threshold, WeightFormat weights,
            Path storeRoot, String name, String version, Map<String, Object> training, Evaluation evaluation, String device)
            throws IOException {
        ModelManifest main = ArtifactFiles.verify(mainDir);
        ModelManifest expert = ArtifactFiles.verify(expertDir);
        requireCompatible(mainDir, main, expertDir, expert);
        Path staging = Files.createTempDirectory("routed-" + name);
        Path trial = Files.createTempDirectory("routed-trial-");
        try {
            for (String f : main.files().keySet()) {
                if (!f.equals(EmotionModel.WEIGHTS)) {
                    Files.copy(mainDir.resolve(f), staging.resolve(f));
                }
            }
            BertConfig arch = main.architecture();
            copyWeights(mainDir.resolve(EmotionModel.WEIGHTS), staging.resolve(EmotionModel.WEIGHTS), arch, weights);
            copyWeights(expertDir.resolve(EmotionModel.WEIGHTS), staging.resolve(EXPERT_WEIGHTS), arch, weights);
            ModelManifest.Ensemble expertMix = expert.ensemble();
            if (expertMix != null) {
                Files.copy(expertDir.resolve(expertMix.ngramFile()), staging.resolve(EXPERT_NGRAM));
            }
            gate.write(staging.resolve(GATE));
            ModelManifest.Routing routing = new ModelManifest.Routing(GATE, gate.labels(), threshold, EXPERT_WEIGHTS,
                    expertMix == null ? null : EXPERT_NGRAM, expertMix == null ? 0 : expertMix.ngramWeight());

            Map<String, Object> t = new LinkedHashMap<>(training);
            t.put("weights_format", weights.name().toLowerCase(Locale.ROOT));
            t.put("main", describe(mainDir, main));
            t.put("expert", describe(expertDir, expert));
            ModelManifest unmeasured = new ModelManifest(name, version, ModelManifest.CLASSIFIER, Instant.now().toString(),
                    main.architecture(), main.labels(), main.maxLength(), main.preprocessingVersion(), main.parent(), t, Map.of(),
                    null, main.ensemble(), routing, ReferenceDistribution.combine(
                            java.util.Arrays.asList(main.referenceDistribution(), expert.referenceDistribution()),
                            "the union of the main and the expert model's training posts"), main.tokenizer());
            Map<String, Object> metrics = new LinkedHashMap<>();
            try (EmotionModel routed = EmotionModel.load(ArtifactFiles.publish(staging, trial, unmeasured), device)) {
                metrics.putAll(evaluation.measure(routed));
            }
            metrics.put("main_only", main.metrics());
            metrics.put("expert_only", expert.metrics());
            return ArtifactFiles.publish(staging, storeRoot, unmeasured.withMetrics(metrics));
        } finally {
            CheckpointDirectory.deleteTree(staging);
            CheckpointDirectory.deleteTree(trial);
        }
    }

    /** Copies a classifier's weights, re-stored in {@code format} when they are in another one. */
    static void copyWeights(Path from, Path to, BertConfig architecture, WeightFormat format) throws IOException {
        if (BlockWeights.formatOf(from) == format) {
            Files.copy(from, to);
            return;
        }
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            EmotionClassifierBlock block = new EmotionClassifierBlock(architecture);
            block.initialize(manager, DataType.FLOAT32, ModelShapes.classifierInputs());
            BlockWeights.load(block, manager, from);
            BlockWeights.write(block, to, format);
        } catch (MalformedWeightsException e) {
            throw new ModelLoadException(from + " does not load: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> describe(Path dir, ModelManifest m) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("version", m.name() + "/" + m.version());
        d.put("from", dir.toString());
        d.put("parent", m.parent());
        d.put("manifest_sha256", ArtifactFiles.sha256(dir.resolve(ArtifactFiles.MANIFEST)));
        d.put("training", m.training());
        if (m.ensemble() != null) {
            d.put("ngram_weight", m.ensemble().ngramWeight());
        }
        return d;
    }
}
