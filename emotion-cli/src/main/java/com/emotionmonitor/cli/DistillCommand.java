package com.emotionmonitor.cli;

import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.store.ModelStore;
import com.emotionmonitor.text.PostPreprocessor;
import com.emotionmonitor.text.Vocabulary;
import com.emotionmonitor.train.PretrainCorpus;
import com.emotionmonitor.train.distill.DistillConfig;
import com.emotionmonitor.train.distill.Distiller;
import com.emotionmonitor.train.distill.TeacherLabels;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bin/emotion train distill}: the teacher labels every non-eval text of the shared data once (a reusable
 * file), then a student BERT learns those probabilities; resumable. The gold-label phase follows with
 * {@code train finetune --pretrained <work dir>}.
 */
@Command(name = "distill", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Distil a teacher (a published classifier: BERT + n-gram mix as served) into a student BERT over the"
                + " unlabelled corpus (every non-eval text of the shared data): T^2 KL(teacher_T || student_T). The teacher's"
                + " labels are computed once into --labels and reused (a file from another teacher or corpus is refused);"
                + " training checkpoints every --checkpoint-every steps and continues with --resume. Then fine-tune on the gold"
                + " labels: train finetune --pretrained <work dir>. Last line: one JSON object.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done (or stopped at --max-steps / --max-minutes / SIGTERM, resumable)", "2:invalid arguments"})
public final class DistillCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--teacher", description = "Teacher version directory (default: the newest weibo-emotion). Repeat it for an"
            + " ensemble teacher: the mean of the teachers' probabilities (each labels the corpus once, into its own file).")
    List<Path> teachers = new ArrayList<>();
    @Option(names = "--labels", description = "Teacher-label file, written once, one per --teacher in the same order (default:"
            + " <work dir>/teacher-labels.bin for one teacher, <work dir>/teacher-labels-<name>-<version>.bin for each of several).")
    List<Path> labels = new ArrayList<>();
    @Option(names = "--data", description = "Shared data folder (default: ../shared/data).") Path data;
    @Option(names = "--limit-per-file", defaultValue = "0", description = "Rows per corpus file (0 = all; for smoke runs).")
    int limitPerFile;
    @Option(names = "--pretrained", description = "Start the student from this encoder (pretraining checkpoint or published"
            + " encoder), or from a whole classifier, head included (a published classifier version, e.g. one trained on an"
            + " intermediate task, or another distillation's work dir); else from scratch with --layers/--hidden/--heads and"
            + " the teacher's vocabulary.") Path pretrained;
    @Option(names = "--keep-layers", defaultValue = "0", description = "With --pretrained: the student keeps only its lower N"
            + " layers (embeddings, layers 0..N-1, final norm, pooler and head as stored), e.g. an L2 or L3 student cut from an"
            + " L4 encoder; 0 = all (default).") int keepLayers;
    @Option(names = "--layers", defaultValue = "2") int layers;
    @Option(names = "--hidden", defaultValue = "128") int hidden;
    @Option(names = "--heads", defaultValue = "2") int heads;
    @Option(names = "--temperature", defaultValue = "2", description = "Softening of both distributions (default ${DEFAULT-VALUE}).")
    float temperature;
    @Option(names = "--lr", defaultValue = "5e-4") float lr;
    @Option(names = "--warmup-steps", defaultValue = "1000") int warmupSteps;
    @Option(names = "--total-steps", defaultValue = "30000", description = "Length of the schedule.") int totalSteps;
    @Option(names = "--max-steps", defaultValue = "0", description = "Stop this run after N steps (0 = no limit).") int maxSteps;
    @Option(names = "--max-minutes", defaultValue = "0") double maxMinutes;
    @Option(names = "--checkpoint-every", defaultValue = "500", description = "Checkpoint every N steps (default ${DEFAULT-VALUE}).")
    int checkpointEvery;
    @Option(names = "--max-tokens", defaultValue = "2048") int maxTokens;
    @Option(names = "--max-batch", defaultValue = "128") int maxBatch;
    @Option(names = "--dropout", defaultValue = "0.1") float dropout;
    @Option(names = "--weight-decay", defaultValue = "0.01") float weightDecay;
    @Option(names = "--seed", defaultValue = "20201201") long seed;
    @Option(names = "--device", defaultValue = "auto") String device;
    @Option(names = "--work-dir", description = "Default: work/distill.") Path workDir;
    @Option(names = "--resume", description = "Continue the work dir's checkpoint (same teacher, corpus, vocabulary).")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        Path dataRoot = ProjectPaths.requireDirectory(data != null ? data : ProjectPaths.sharedData(), "--data");
        List<Path> teacherDirs = new ArrayList<>();
        for (Path t : teachers) {
            teacherDirs.add(ProjectPaths.requireDirectory(t, "--teacher"));
        }
        if (teacherDirs.isEmpty()) {
            teacherDirs.add(ModelStore.latest(ProjectPaths.modelStore(), ModelOption.DEFAULT_MODEL));
        }
        if (!labels.isEmpty() && labels.size() != teacherDirs.size()) {
            throw new CommandLine.ParameterException(spec.commandLine(), labels.size() + " --labels files for "
                    + teacherDirs.size() + " teachers: give one per --teacher, in the same order, or none");
        }
        Path work = workDir != null ? workDir : ProjectPaths.work().resolve("distill");
        if (pretrained != null) {
            ProjectPaths.requireDirectory(pretrained, "--pretrained");
        } else if (keepLayers != 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--keep-layers " + keepLayers + " needs --pretrained:"
                    + " it cuts the lower layers of a starting encoder or classifier");
        }
        List<Path> labelFiles = new ArrayList<>(labels);
        if (labelFiles.isEmpty()) {
            teacherDirs.forEach(d -> labelFiles.add(defaultLabelFile(work, d, teacherDirs.size())));
        }
        List<String> texts = PretrainCorpus.load(dataRoot, PostPreprocessor.standard(), limitPerFile).texts();
        List<TeacherLabels> members = new ArrayList<>();
        Vocabulary teacherVocab = null;
        for (int k = 0; k < teacherDirs.size(); k++) {
            Path labelFile = labelFiles.get(k);
            // One teacher at a time: each is loaded, labels the corpus (or its file is read back), and is closed.
            try (EmotionModel teacherModel = EmotionModel.load(teacherDirs.get(k), device)) {
                if (teacherVocab == null) {
                    teacherVocab = teacherModel.textPipeline().tokenizer().vocabulary();
                }
                String teacherId = teacherModel.manifest().name() + "/" + teacherModel.manifest().version();
                TeacherLabels.Teacher t = new TeacherLabels.Teacher(teacherId, TeacherLabels.manifestSha256(teacherDirs.get(k)),
                        teacherModel, i -> teacherModel.textPipeline().tokenizer().encode(texts.get(i)));
                try (ProgressBar bar = bar("teacher " + teacherId, texts.size())) {
                    members.add(TeacherLabels.loadOrCompute(labelFile, t, texts, bar::stepTo));
                }
            }
        }
        TeacherLabels teacherLabels = TeacherLabels.mean(members);
        // From scratch the student takes the teacher's vocabulary; a start brings its own (the architecture is its too).
        DistillConfig config = new DistillConfig(pretrained, keepLayers, BertConfig.of(teacherVocab.size(), layers, hidden, heads),
                temperature, lr, warmupSteps, totalSteps, maxSteps, maxMinutes, checkpointEvery, maxTokens, maxBatch, dropout,
                weightDecay, seed, device, work, 100);
        Distiller distiller = new Distiller(config);
        Vocabulary vocab = pretrained != null ? distiller.startingPoint().vocabulary() : teacherVocab;
        // Not a shutdown hook: the JVM would exit as soon as the hook returned, before the run checkpointed.
        StopSignals.install("train distill", java.time.Duration.ofMinutes(3), distiller::requestStop);
        Distiller.Result r;
        try (ProgressBar bar = bar("distill", totalSteps)) {
            r = distiller.run(texts, vocab, teacherLabels, resume, s -> bar.stepTo(s.step()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("teacher", teacherLabels.teacherId());
        out.put("teacher_labels", labelFiles.size() == 1 ? labelFiles.get(0).toString()
                : labelFiles.stream().map(Path::toString).toList());
        out.put("texts", texts.size());
        out.put("student", r.state().architecture().shortName());
        out.put("step", r.state().step());
        out.put("total_steps", r.state().totalSteps());
        out.put("kl_before", Double.isNaN(r.klBefore()) ? null : r.klBefore());
        out.put("kl_after", r.klAfter());
        out.put("checkpoint", r.checkpoint().toString());
        out.put("next", "bin/emotion train finetune --pretrained " + work + " ...");
        System.out.println(new ObjectMapper().writeValueAsString(out));
        return 0;
    }

    /** {@code teacher-labels.bin} for a lone teacher (as before ensembles), else one file per teacher, named by it. */
    private static Path defaultLabelFile(Path work, Path teacherDir, int teachers) {
        if (teachers == 1) {
            return work.resolve("teacher-labels.bin");
        }
        return work.resolve("teacher-labels-" + teacherDir.getParent().getFileName() + "-" + teacherDir.getFileName() + ".bin");
    }

    private static ProgressBar bar(String task, long max) {
        return ProgressBars.builder(task, max).build();
    }
}
