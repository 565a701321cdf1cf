package com.emotionmonitor.cli;

import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.model.ModelLoadException;
import com.emotionmonitor.model.ngram.NgramSettings;
import com.emotionmonitor.train.ngram.NgramTrainer;
import com.emotionmonitor.train.ngram.NgramTrainingConfig;
import com.emotionmonitor.model.ngram.WeightFormat;
import com.emotionmonitor.text.Encoding;
import com.emotionmonitor.text.TextPipeline;
import com.emotionmonitor.text.Vocabulary;
import com.emotionmonitor.train.ClassifierPublisher;
import com.emotionmonitor.train.EvaluationReport;
import com.emotionmonitor.train.LabeledSet;
import com.emotionmonitor.train.RoutedVersionPublisher;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/emotion train route}: joins two published classifiers of one encoder into a routed version.
 * A two-class n-gram gate, trained here on each domain's training texts, sends a post to the expert when
 * its expert-domain probability reaches the threshold, else to the main model: one BERT pass per post.
 * Nothing is tuned on the eval files; they are only measured. Last line: one JSON object.
 */
@Command(name = "route", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Publish a routed version: a main classifier, an expert classifier and a domain gate trained on "
                + "the two domains' training texts. The metrics are measured on the routed version as published.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:published", "2:invalid arguments or incompatible versions"})
public final class RouteCommand implements Callable<Integer> {

    @Option(names = "--main", required = true, description = "Published classifier that serves the main domain.") Path main;
    @Option(names = "--expert", required = true, description = "Published classifier that serves the expert domain.") Path expert;
    @Option(names = "--main-domain", description = "Training texts of the main domain (repeatable; default usual_train).")
    List<Path> mainDomain;
    @Option(names = "--expert-domain", description = "Training texts of the expert domain (repeatable; default virus_train).")
    List<Path> expertDomain;
    @Option(names = "--domains", split = ",", defaultValue = "usual,virus", description = "Gate class names: main,expert "
            + "(default ${DEFAULT-VALUE}).") List<String> domains;
    @Option(names = "--threshold", defaultValue = "0.5", description = "Expert-domain probability from which a post goes to "
            + "the expert (default ${DEFAULT-VALUE}).") double threshold;
    @Option(names = "--gate-c", defaultValue = "2", description = "The gate's inverse L2 strength (default ${DEFAULT-VALUE}).")
    double gateC;
    @Option(names = "--eval", description = "Measured files, each with its domain as DOMAIN=FILE (repeatable; default "
            + "usual=usual_eval, virus=virus_eval).") Map<String, Path> eval;
    @Option(names = "--weights", defaultValue = "f32", description = "Stored precision of both BERTs' weights: f32 or f16 "
            + "(half the size; the metrics are measured on what is stored). Default ${DEFAULT-VALUE}.") String weights;
    @Option(names = "--publish-version", required = true, description = "Version to publish as.") String version;
    @Option(names = "--name", defaultValue = "weibo-emotion") String name;
    @Option(names = "--store", description = "Model store root (default: model-store/).") Path store;
    @Option(names = "--device", defaultValue = "auto") String device;

    @Override
    public Integer call() throws Exception {
        Path smp = ProjectPaths.sharedData().resolve("smp2020-ewect");
        List<Path> mainFiles = mainDomain != null ? mainDomain : List.of(smp.resolve("usual_train.jsonl"));
        List<Path> expertFiles = expertDomain != null ? expertDomain : List.of(smp.resolve("virus_train.jsonl"));
        Map<String, Path> evalFiles = eval != null ? eval : defaultEval(smp);
        WeightFormat format;
        try {
            ProjectPaths.requireDirectory(main, "--main");
            ProjectPaths.requireDirectory(expert, "--expert");
            mainFiles.forEach(f -> ProjectPaths.requireFile(f, "--main-domain"));
            expertFiles.forEach(f -> ProjectPaths.requireFile(f, "--expert-domain"));
            evalFiles.values().forEach(f -> ProjectPaths.requireFile(f, "--eval"));
            if (domains.size() != 2 || domains.get(0).equals(domains.get(1))) {
                throw new IllegalArgumentException("--domains needs two different names, got " + domains);
            }
            for (String d : evalFiles.keySet()) {
                if (!domains.contains(d)) {
                    throw new IllegalArgumentException("--eval " + d + "=...: '" + d + "' is not one of --domains " + domains);
                }
            }
            format = WeightFormat.parse(weights);
            if (!(threshold > 0 && threshold < 1)) {
                throw new IllegalArgumentException("--threshold must be in (0, 1), got " + threshold);
            }
            RoutedVersionPublisher.requireCompatible(main, ArtifactFiles.verify(main), expert, ArtifactFiles.verify(expert));
        } catch (IllegalArgumentException | ModelLoadException e) {
            System.err.println("train route: " + e.getMessage());
            return 2;
        }

        Vocabulary vocab = Vocabulary.load(main.resolve(EmotionModel.VOCAB));
        TextPipeline pipeline = TextPipeline.standard(vocab);
        List<Encoding> mainPosts = encodings(mainFiles, pipeline);
        List<Encoding> expertPosts = encodings(expertFiles, pipeline);
        NgramSettings settings = NgramSettings.defaults();
        NgramTrainingConfig config = NgramTrainingConfig.defaults().withC(gateC).withFormat(WeightFormat.F16);
        NgramTrainer.Result gate = RoutedVersionPublisher.trainGate(mainPosts, expertPosts, domains, vocab, settings, config);
        System.out.printf(Locale.ROOT, "gate trained on %d %s + %d %s posts in %.1f s (%d iterations, stop: %s)%n",
                mainPosts.size(), domains.get(0), expertPosts.size(), domains.get(1), gate.seconds(), gate.iterations(), gate.stop());

        Map<String, Object> gateTraining = new LinkedHashMap<>();
        gateTraining.put("model", "n-gram logistic regression over token ids, " + domains.get(0) + " (0) vs " + domains.get(1)
                + " (1), balanced classes, C=" + gateC + ", f16 weights");
        gateTraining.put(domains.get(0) + "_files", mainFiles.stream().map(ClassifierPublisher::describe).toList());
        gateTraining.put(domains.get(1) + "_files", expertFiles.stream().map(ClassifierPublisher::describe).toList());
        gateTraining.put("posts", mainPosts.size() + expertPosts.size());
        gateTraining.put("iterations", gate.iterations());
        gateTraining.put("threshold", threshold);
        gateTraining.put("threshold_chosen", "fixed in advance (not tuned on any eval file)");
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("command", "bin/emotion train route " + String.join(" ", reproduce(mainFiles, expertFiles, evalFiles)));
        training.put("gate", gateTraining);

        Path published = RoutedVersionPublisher.publish(main, expert, gate.classifier(), threshold, format,
                store != null ? store : ProjectPaths.modelStore(), name, version, training, routed -> measure(routed, evalFiles),
                device);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("published", published.toString());
        Map<String, Object> routedMetrics = new LinkedHashMap<>(ArtifactFiles.readManifest(published).metrics());
        routedMetrics.keySet().removeAll(List.of("main_only", "expert_only")); // the sources' figures stay in the manifest
        summary.put("metrics", routedMetrics);
        System.out.println(new ObjectMapper().writeValueAsString(summary));
        return 0;
    }

    /** Per eval file: the routed figures, and how often the gate sent its posts to the expert. */
    private Map<String, Object> measure(EmotionModel routed, Map<String, Path> evalFiles) throws IOException {
        Map<String, Object> metrics = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : evalFiles.entrySet()) {
            LabeledSet set = LabeledSet.read(e.getValue(), routed.textPipeline(), false);
            EvaluationReport report = set.evaluate(routed);
            long toExpert = 0;
            for (boolean r : routed.gate().routes(set.encodings())) {
                toExpert += r ? 1 : 0;
            }
            Map<String, Object> m = new LinkedHashMap<>(report.toMap());
            m.put("domain", e.getKey());
            m.put("share_routed_to_expert", Math.round(10000.0 * toExpert / set.size()) / 10000.0);
            metrics.put(set.name(), m);
            System.out.printf(Locale.ROOT, "%s (%s): macro-F1 %.4f accuracy %.4f, %.1f%% of posts routed to the %s expert%n",
                    set.name(), e.getKey(), report.macroF1(), report.accuracy(), 100.0 * toExpert / set.size(), domains.get(1));
        }
        return metrics;
    }

    private static Map<String, Path> defaultEval(Path smp) {
        Map<String, Path> m = new LinkedHashMap<>();
        m.put("usual", smp.resolve("usual_eval.jsonl"));
        m.put("virus", smp.resolve("virus_eval.jsonl"));
        return m;
    }

    private static List<Encoding> encodings(List<Path> files, TextPipeline pipeline) throws IOException {
        List<Encoding> out = new ArrayList<>();
        for (Path f : files) {
            out.addAll(LabeledSet.read(f, pipeline, true).encodings());
        }
        return out;
    }

    private List<String> reproduce(List<Path> mainFiles, List<Path> expertFiles, Map<String, Path> evalFiles) {
        List<String> a = new ArrayList<>(List.of("--main", main.toString(), "--expert", expert.toString()));
        mainFiles.forEach(f -> a.addAll(List.of("--main-domain", f.toString())));
        expertFiles.forEach(f -> a.addAll(List.of("--expert-domain", f.toString())));
        a.addAll(List.of("--domains", String.join(",", domains), "--threshold", String.valueOf(threshold), "--gate-c",
                String.valueOf(gateC)));
        evalFiles.forEach((d, f) -> a.addAll(List.of("--eval", d + "=" + f)));
        a.addAll(List.of("--weights", weights, "--publish-version", version, "--name", name));
        return a;
    }
}
