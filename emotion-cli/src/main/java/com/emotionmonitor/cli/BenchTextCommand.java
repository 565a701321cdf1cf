package com.emotionmonitor.cli;

import com.emotionmonitor.bench.TextFrontEndBench;
import com.emotionmonitor.store.ModelStore;
import com.emotionmonitor.text.PostPreprocessor;
import com.emotionmonitor.text.Vocabulary;
import com.emotionmonitor.text.VocabularyBuilder;
import com.emotionmonitor.train.LabeledSet;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/emotion bench text}: posts/s of cleaning and tokenization on one core, and tokenizer agreement. */
@Command(name = "text", mixinStandardHelpOptions = true,
        description = "Single-thread posts/s of clean/tokenize over a corpus; plain-Java vs DJL HuggingFace tokenizer.")
public final class BenchTextCommand implements Callable<Integer> {

    @Option(names = "--data", description = "JSONL posts (default ../shared/data/smp2020-ewect/usual_train.jsonl).") Path data;
    @Option(names = "--vocab", description = "vocab.txt (default: the newest weibo-emotion model's, else built from --data).") Path vocab;
    @Option(names = "--rounds", defaultValue = "3", description = "Timed passes per stage; the best counts.") int rounds;

    @Override
    public Integer call() throws Exception {
        Path file = ProjectPaths.requireFile(data != null ? data : ProjectPaths.sharedData().resolve("smp2020-ewect/usual_train.jsonl"), "--data");
        List<String> posts = LabeledSet.readTexts(file);
        Vocabulary v = vocabulary(posts);
        TextFrontEndBench.Result r = new TextFrontEndBench(posts, v, rounds).run();
        System.out.printf(Locale.ROOT, "%d posts from %s, vocabulary %d tokens, one thread, best of %d passes%n",
                posts.size(), file.getFileName(), v.size(), rounds);
        System.out.printf(Locale.ROOT, "%-40s %12s %10s%n", "stage", "posts/s", "us/post");
        for (TextFrontEndBench.Stage s : r.stages()) {
            System.out.printf(Locale.ROOT, "%-40s %12.0f %10.2f%n", s.name(), s.postsPerSecond(), s.microsPerPost());
        }
        System.out.printf(Locale.ROOT, "token ids identical (plain Java vs HuggingFace): %d / %d (%.4f)%n", r.identical(),
                r.compared(), r.agreement());
        r.examples().forEach(e -> System.out.println("  differs: " + e));
        System.out.println(new ObjectMapper().writeValueAsString(TextFrontEndBench.toJson(r)));
        return 0;
    }

    private Vocabulary vocabulary(List<String> posts) {
        if (vocab != null) {
            return Vocabulary.load(ProjectPaths.requireFile(vocab, "--vocab"));
        }
        try {
            Path latest = ModelStore.latest(ProjectPaths.modelStore(), ModelOption.DEFAULT_MODEL);
            if (Files.isRegularFile(latest.resolve("vocab.txt"))) {
                return Vocabulary.load(latest.resolve("vocab.txt"));
            }
        } catch (RuntimeException noModelYet) {
            // fall through: build one from the data itself
        }
        VocabularyBuilder b = new VocabularyBuilder();
        posts.forEach(p -> b.add(PostPreprocessor.standard().prepare(p).text()));
        return b.build(2, 50, 500);
    }
}
