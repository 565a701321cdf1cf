package com.emotionmonitor.text;

import com.emotionmonitor.data.JsonlPostReader;
import com.emotionmonitor.data.LabeledPost;
import com.emotionmonitor.data.OnError;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Single-thread throughput of the text front end on usual_train (a program, not a test: timings never gate a build).
 * Run from the project root after {@code mvn -pl emotion-core test-compile}:
 * <pre>java -cp emotion-core/target/classes:emotion-core/target/test-classes:$(cat cp.txt) \
 *     com.emotionmonitor.text.CleanerThroughputMain [../shared/data/smp2020-ewect/usual_train.jsonl]</pre>
 */
public final class CleanerThroughputMain {

    private static final int WARMUP_PASSES = 10;
    private static final int ROUNDS = 5;
    private static final int PASSES_PER_ROUND = 4;

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length > 0 ? args[0] : "../shared/data/smp2020-ewect/usual_train.jsonl");
        List<String> posts = JsonlPostReader.readAll(file, OnError.FAIL).posts().stream().map(LabeledPost::content).toList();
        long chars = posts.stream().mapToLong(String::length).sum();
        System.out.printf("%s: %d posts, %.1f chars/post, 1 thread%n", file, posts.size(), (double) chars / posts.size());

        WeiboTextCleaner cleaner = WeiboTextCleaner.reference();
        PostPreprocessor preprocessor = PostPreprocessor.standard();
        VocabularyBuilder vb = new VocabularyBuilder();
        posts.forEach(p -> vb.add(preprocessor.prepare(p).text()));
        TextPipeline pipeline = TextPipeline.standard(vb.build(2, 50, 2000));

        Map<String, ToIntFunction<String>> stages = new LinkedHashMap<>();
        stages.put("WeiboTextCleaner.clean", p -> cleaner.clean(p).length());
        stages.put("PostPreprocessor.prepare (clean, topics, truncate)", p -> preprocessor.prepare(p).text().length());
        stages.put("TextPipeline.prepare (+ BERT tokenization)", p -> pipeline.prepare(p).encoding().length());

        // Warm every stage first (shared code gets compiled once), then interleave rounds; report the median.
        stages.values().forEach(work -> run(posts, work, WARMUP_PASSES));
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            stages.forEach((name, work) -> {
                long start = System.nanoTime();
                run(posts, work, PASSES_PER_ROUND);
                double seconds = (System.nanoTime() - start) / 1e9;
                rates.computeIfAbsent(name, k -> new ArrayList<>()).add(PASSES_PER_ROUND * posts.size() / seconds);
            });
        }
        rates.forEach((name, r) -> {
            List<Double> sorted = r.stream().sorted().toList();
            double median = sorted.get(sorted.size() / 2);
            System.out.printf("%-52s median %,9.0f posts/s (%.2f us/post), range %,.0f..%,.0f%n", name, median, 1e6 / median,
                    sorted.get(0), sorted.get(sorted.size() - 1));
        });
        System.out.println("checksum " + sink);
    }

    private static long sink;

    private static void run(List<String> posts, ToIntFunction<String> work, int passes) {
        for (int i = 0; i < passes; i++) {
            for (String p : posts) {
                sink += work.applyAsInt(p);
            }
        }
    }
}
