package com.emotionmonitor.cli;

import com.emotionmonitor.model.ModelLoadException;
import com.emotionmonitor.model.ngram.WeightFormat;
import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.train.RoutedVersionPublisher;
import com.emotionmonitor.train.workflow.RouteWorkflow;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/emotion train route}: joins two published classifiers of one encoder into a routed version.
 * A two-class n-gram gate, trained here on each domain's training texts, sends a post to the expert when
 * its expert-domain probability reaches the threshold, else to the main model: one BERT pass per post.
 * Nothing is tuned on the eval files; they are only measured. Last line: one JSON object. Parses the flags and
 * prints; the recipe is {@link RouteWorkflow}.
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

        RouteWorkflow.Request request = new RouteWorkflow.Request(main, expert, mainFiles, expertFiles, domains, threshold,
                gateC, evalFiles, format, store != null ? store : ProjectPaths.modelStore(), name, version, device,
                "bin/emotion train route " + String.join(" ", reproduce(mainFiles, expertFiles, evalFiles)));
        RouteWorkflow.Result result = new RouteWorkflow(System.out).run(request);
        System.out.println(new ObjectMapper().writeValueAsString(result.summary()));
        return 0;
    }

    private static Map<String, Path> defaultEval(Path smp) {
        Map<String, Path> m = new LinkedHashMap<>();
        m.put("usual", smp.resolve("usual_eval.jsonl"));
        m.put("virus", smp.resolve("virus_eval.jsonl"));
        return m;
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
