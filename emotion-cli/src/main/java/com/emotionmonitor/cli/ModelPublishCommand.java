package com.emotionmonitor.cli;

import com.emotionmonitor.job.JobConfig;
import com.emotionmonitor.store.ClassifierRequirements;
import com.emotionmonitor.job.model.SmokeInference;
import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.store.ModelManifest;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.util.FileUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bin/emotion model publish DIR}: copy a trained version into the model store, immutably, with checksums. */
@Command(
        name = "publish",
        description = "Publish a trained version directory (weights, vocab.txt, manifest.json; e.g. another store's "
                + "version) into the model store as <store>/<name>/<version>: checks the source (its checksums if it "
                + "lists them, labels, max length, preprocessing), loads it and runs a smoke inference, then copies the "
                + "files, writes the sha256 of every file into the manifest and verifies the copy. A published version "
                + "is immutable: an existing one is never replaced. Last line: one JSON object.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:published", "2:invalid arguments, a source that must not serve, or the version exists"})
public final class ModelPublishCommand implements Callable<Integer> {

    // Not mixinStandardHelpOptions: its -V/--version would collide with this command's --version (the model version),
    // and picocli then reported the missing required options instead of the help.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Parameters(index = "0", paramLabel = "DIR", description = "The trained version directory.")
    Path source;

    @Option(names = "--name", paramLabel = "NAME", description = "Model name in the store (default: the source manifest's).")
    String name;

    @Option(names = "--version", paramLabel = "VERSION", description = "Version to publish as (default: the source manifest's).")
    String version;

    @Option(names = "--model-store", paramLabel = "DIR", description = "Model store root (default: <project>/model-store).")
    Path modelStore;

    @Option(names = "--device", defaultValue = "cpu", description = "Device for the load check (default ${DEFAULT-VALUE}).")
    String device;

    @Override
    public Integer call() throws Exception {
        ProjectPaths.requireDirectory(source, "source");
        Path published;
        Path store = modelStore != null ? modelStore : ProjectPaths.modelStore();
        ModelManifest manifest = ArtifactFiles.readManifest(source);
        if (manifest.files() != null && !manifest.files().isEmpty()) {
            ArtifactFiles.verify(source); // a damaged source must not become a published version
        }
        String n = name != null ? name : manifest.name();
        String v = version != null ? version : manifest.version();
        if (n == null || n.isBlank() || n.contains("/") || v == null || v.isBlank() || v.contains("/")) {
            throw new IllegalArgumentException("a version needs a name and a version without '/': give --name and --version");
        }
        if (store.resolve(n).resolve(v).toFile().exists()) {
            throw new IllegalArgumentException("version " + n + "/" + v + " already exists in " + store.toAbsolutePath()
                    + ": versions are immutable, pick a new --version");
        }
        ClassifierRequirements.emotions(JobConfig.defaults().batchMaxTokens()).check(manifest);
        ModelManifest renamed = manifest.renamed(n, v);
        // Stage a checksummed copy, prove it loads and infers, then publish that copy: the store only ever receives
        // versions that passed, and what passed is byte for byte what is published.
        Path staging = Files.createTempDirectory("model-publish-");
        try {
            Path staged = ArtifactFiles.publish(source, staging, renamed);
            System.err.println("model publish: loading " + n + "/" + v + " for a smoke inference ...");
            try (EmotionModel model = EmotionModel.load(staged, device)) {
                SmokeInference.check(n + "/" + v, model.textPipeline(), model);
            }
            published = ArtifactFiles.publish(staged, store, renamed);
        } finally {
            FileUtils.deleteDirectoryQuietly(staging.toFile());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("published", published.toAbsolutePath().toString());
        result.put("model", n);
        result.put("version", v);
        result.put("manifest_sha256", ArtifactFiles.sha256(published.resolve(ArtifactFiles.MANIFEST)));
        System.out.println(new ObjectMapper().writeValueAsString(result));
        return 0;
    }
}
