package com.emotionmonitor.train.workflow;

import com.emotionmonitor.model.ngram.NgramSettings;
import com.emotionmonitor.model.ngram.WeightFormat;
import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.text.Encoding;
import com.emotionmonitor.text.TextPipeline;
import com.emotionmonitor.text.Vocabulary;
import com.emotionmonitor.train.ClassifierPublisher;
import com.emotionmonitor.train.EvaluationReport;
import com.emotionmonitor.train.LabeledSet;
import com.emotionmonitor.train.RoutedVersionPublisher;
import com.emotionmonitor.train.ngram.NgramTrainer;
import com.emotionmonitor.train.ngram.NgramTrainingConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Routed-version recipe ({@code bin/emotion train route}): joins two published classifiers of one encoder into a routed
 * version. A two-class n-gram gate, trained on each domain's training texts, sends a post to the expert when its
 * expert-domain probability reaches the threshold, else to the main model. Nothing is tuned on the eval files; they are
 * only measured, on the routed version as published. Progress text goes to the stream given to the constructor.
 */
public final class RouteWorkflow {

    /**
     * A routed version to build, every input resolved (the two versions already checked compatible by the caller;
     * publishing checks again).
     *
     * @param main the published classifier that serves the main domain
     * @param expert the published classifier that serves the expert domain
     * @param mainFiles training texts of the main domain (gate class 0)
     * @param expertFiles training texts of the expert domain (gate class 1)
     * @param domains the gate's class names: main, expert
     * @param threshold expert-domain probability from which a post goes to the expert, in (0, 1)
     * @param gateC the gate's inverse L2 strength
     * @param evalFiles measured files, each with its domain, in report order
     * @param weights stored precision of both BERTs' weights
     * @param command the command line that reproduces the version, recorded in the manifest
     */
    public record Request(Path main, Path expert, List<Path> mainFiles, List<Path> expertFiles, List<String> domains,
            double threshold, double gateC, Map<String, Path> evalFiles, WeightFormat weights, Path store, String name,
            String version, String device, String command) {

        public Request {
            Objects.requireNonNull(main, "main");
            Objects.requireNonNull(expert, "expert");
            mainFiles = List.copyOf(mainFiles);
            expertFiles = List.copyOf(expertFiles);
            domains = List.copyOf(domains);
            evalFiles = Collections.unmodifiableMap(new LinkedHashMap<>(evalFiles));
            Objects.requireNonNull(weights, "weights");
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(command, "command");
            if (domains.size() != 2 || domains.get(0).equals(domains.get(1))) {
                throw new IllegalArgumentException("a gate needs two different domain names, got " + domains);
            }
        }
    }

    /**
     * @param published the routed version's directory
     * @param gate the gate's training run
     * @param summary the command's last line: where it was published and the routed metrics per eval file (the
     *     sources' own figures stay in the manifest)
     */
    public record Result(Path published, NgramTrainer.Result gate, Map<String, Object> summary) {}

    private final PrintStream out;

    /** @param out where the progress text goes (the CLI passes System.out) */
    public RouteWorkflow(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    public Result run(Request r) throws IOException {
        List<String> domains = r.domains();
        Vocabulary vocab = Vocabulary.load(r.main().resolve(EmotionModel.VOCAB));
        TextPipeline pipeline = TextPipeline.standard(vocab);
        List<Encoding> mainPosts = encodings(r.mainFiles(), pipeline);
        List<Encoding> expertPosts = encodings(r.expertFiles(), pipeline);
        NgramSettings settings = NgramSettings.defaults();
        NgramTrainingConfig config = NgramTrainingConfig.defaults().withC(r.gateC()).withFormat(WeightFormat.F16);
        NgramTrainer.Result gate = RoutedVersionPublisher.trainGate(mainPosts, expertPosts, domains, vocab, settings, config);
        out.printf(Locale.ROOT, "gate trained on %d %s + %d %s posts in %.1f s (%d iterations, stop: %s)%n",
                mainPosts.size(), domains.get(0), expertPosts.size(), domains.get(1), gate.seconds(), gate.iterations(), gate.stop());

        Map<String, Object> gateTraining = new LinkedHashMap<>();
        gateTraining.put("model", "n-gram logistic regression over token ids, " + domains.get(0) + " (0) vs " + domains.get(1)
                + " (1), balanced classes, C=" + r.gateC() + ", f16 weights");
        gateTraining.put(domains.get(0) + "_files", r.mainFiles().stream().map(ClassifierPublisher::describe).toList());
        gateTraining.put(domains.get(1) + "_files", r.expertFiles().stream().map(ClassifierPublisher::describe).toList());
        gateTraining.put("posts", mainPosts.size() + expertPosts.size());
        gateTraining.put("iterations", gate.iterations());
        gateTraining.put("threshold", r.threshold());
        gateTraining.put("threshold_chosen", "fixed in advance (not tuned on any eval file)");
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("command", r.command());
        training.put("gate", gateTraining);

        Path published = RoutedVersionPublisher.publish(r.main(), r.expert(), gate.classifier(), r.threshold(), r.weights(),
                r.store(), r.name(), r.version(), training, routed -> measure(routed, r.evalFiles(), domains.get(1)),
                r.device());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("published", published.toString());
        Map<String, Object> routedMetrics = new LinkedHashMap<>(ArtifactFiles.readManifest(published).metrics());
        routedMetrics.keySet().removeAll(List.of("main_only", "expert_only")); // the sources' figures stay in the manifest
        summary.put("metrics", routedMetrics);
        return new Result(published, gate, summary);
    }

    /** A domain's training texts through the pipeline, empty posts dropped. */
    private static List<Encoding> encodings(List<Path> files, TextPipeline pipeline) throws IOException {
        return WorkflowSupport.readTraining(files, List.of(), List.of(), pipeline).train().encodings();
    }

    /** Per eval file: the routed figures, and how often the gate sent its posts to the expert. */
    private Map<String, Object> measure(EmotionModel routed, Map<String, Path> evalFiles, String expertDomain)
            throws IOException {
        Map<String, Object> metrics = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : evalFiles.entrySet()) {
            LabeledSet set = LabeledSet.read(e.getValue(), routed.textPipeline(), false);
            EvaluationReport report = set.evaluate(routed);
            long toExpert = 0;
            for (boolean routedToExpert : routed.gate().routes(set.encodings())) {
                toExpert += routedToExpert ? 1 : 0;
            }
            Map<String, Object> m = new LinkedHashMap<>(report.toMap());
            m.put("domain", e.getKey());
            m.put("share_routed_to_expert", Math.round(10000.0 * toExpert / set.size()) / 10000.0);
            metrics.put(set.name(), m);
            out.printf(Locale.ROOT, "%s (%s): macro-F1 %.4f accuracy %.4f, %.1f%% of posts routed to the %s expert%n",
                    set.name(), e.getKey(), report.macroF1(), report.accuracy(), 100.0 * toExpert / set.size(), expertDomain);
        }
        return metrics;
    }
}
