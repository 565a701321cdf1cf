package com.emotionmonitor.cli;

import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.model.ModelLoadException;
import com.emotionmonitor.store.ModelManifest;
import com.emotionmonitor.store.ModelStore;
import com.emotionmonitor.schema.ModelStatus;
import com.emotionmonitor.tools.ModelServingState;
import com.emotionmonitor.tools.ModelStatusReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bin/emotion model list}: the published versions, and which one the running job serves. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List every published version in the model store (oldest first): kind, creation time, macro-F1 on "
                + "usual_eval and virus_eval. With --bootstrap-servers, also read the running job's model-status topic: which version "
                + "each subtask stamps, and the versions it refused with the reason. --verify re-checks every file's "
                + "sha256.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:listed (all verified with --verify)", "1:--verify found a version that must not serve",
            "2:invalid arguments"})
public final class ModelListCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "Only this model (default: every model in the store).")
    String name;

    @Option(names = "--model-store", paramLabel = "DIR", description = "Model store root (default: <project>/model-store).")
    Path modelStore;

    @Option(names = "--verify", description = "Verify every file of every listed version against its manifest.")
    boolean verify;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...",
            description = "Kafka of the running job: show what it serves (from the model-status topic).")
    String bootstrapServers;

    @Mixin KafkaClientFlags kafka;

    @Option(names = "--status-topic", defaultValue = "model-status", paramLabel = "TOPIC",
            description = "The job's model-status topic (default ${DEFAULT-VALUE}).")
    String statusTopic;

    @Override
    public Integer call() throws IOException {
        Path store = modelStore != null ? modelStore : ProjectPaths.modelStore();
        ProjectPaths.requireDirectory(store, "--model-store");
        List<String> names = name != null ? List.of(name) : modelNames(store);
        List<ModelStatus> reports = bootstrapServers == null ? List.of()
                : new ModelStatusReader(kafka.clientProperties(bootstrapServers), statusTopic).readAll();
        int failures = 0;
        System.out.println("model store " + store.toAbsolutePath());
        System.out.printf(Locale.ROOT, "%-22s %-30s %-27s %-25s %-10s %-10s %s%n", "NAME", "VERSION", "KIND", "CREATED",
                "USUAL F1", "VIRUS F1", bootstrapServers == null ? "" : "SERVING");
        for (String model : names) {
            ModelServingState serving = new ModelServingState(model, reports);
            Map<String, Integer> servingVersions = serving.servingVersions();
            for (ModelManifest m : ModelStore.versions(store, model)) {
                String check = "";
                if (verify) {
                    try {
                        ArtifactFiles.verify(store.resolve(model).resolve(m.version()));
                        check = "  verified";
                    } catch (ModelLoadException e) {
                        check = "  FAILS VERIFICATION: " + e.getMessage();
                        failures++;
                    }
                }
                Integer subtasks = servingVersions.get(m.version());
                String servingText = subtasks == null ? "" : subtasks + "/" + serving.parallelism() + " subtasks";
                System.out.printf(Locale.ROOT, "%-22s %-30s %-27s %-25s %-10s %-10s %s%s%n", model, m.version(), kind(m),
                        created(m), macroF1(m, "usual_eval"), macroF1(m, "virus_eval"), servingText, check);
            }
            if (bootstrapServers != null) {
                describeJob(model, serving);
            }
        }
        return failures == 0 ? 0 : 1;
    }

    private void describeJob(String model, ModelServingState serving) {
        if (!serving.hasReports()) {
            System.out.println(model + ": no reports on " + statusTopic + " (no job has served it since the topic exists)");
            return;
        }
        StringBuilder b = new StringBuilder(model + ": job " + serving.jobId() + " serves ");
        serving.servingVersions().forEach((v, n) -> b.append(v).append(" on ").append(n).append('/').append(serving.parallelism())
                .append(" subtasks; "));
        String previous = serving.previousVersion();
        b.append(previous == null ? "no earlier version" : "served before: " + previous);
        System.out.println(b);
        com.emotionmonitor.schema.ModelStatus candidate = serving.candidate();
        if (candidate != null) {
            System.out.println(String.format(java.util.Locale.ROOT, "  %s %s on %.4g%% of the posts (%d/%d subtasks)",
                    candidate.getRole().name().toLowerCase(java.util.Locale.ROOT), candidate.getVersion(), 100 * candidate.getFraction(),
                    serving.candidateBySubtask().size(), serving.parallelism()));
        }
        serving.refusals().forEach((v, r) -> System.out.println("  refused " + v + " at " + r.getReportedAt() + ": " + r.getReason()));
    }

    private static List<String> modelNames(Path store) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(store)) {
            s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().forEach(out::add);
        }
        return out;
    }

    /** Creation time to the second (manifests keep nanoseconds). */
    private static String created(ModelManifest m) {
        if (m.createdAt() == null) {
            return "-";
        }
        try {
            return java.time.Instant.parse(m.createdAt()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        } catch (java.time.format.DateTimeParseException e) {
            return m.createdAt();
        }
    }

    /** The kind, and what the served prediction is made of: a routed version, an n-gram mix. */
    private static String kind(ModelManifest m) {
        return m.kind() + (m.routing() != null ? " (routed)" : m.ensemble() != null ? " (+n-gram)" : "");
    }

    /** macro_f1 of the first metrics entry named like {@code evalSet}, or "-". */
    private static String macroF1(ModelManifest m, String evalSet) {
        if (m.metrics() == null) {
            return "-";
        }
        for (Map.Entry<String, Object> e : m.metrics().entrySet()) {
            if (e.getKey().contains(evalSet) && e.getValue() instanceof Map<?, ?> metrics && metrics.get("macro_f1") instanceof Number f1) {
                return String.format(Locale.ROOT, "%.4f", f1.doubleValue());
            }
        }
        return "-";
    }
}
