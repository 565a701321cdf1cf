package com.emotionmonitor.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.emotionmonitor.text.BertChineseTokenizer;
import com.emotionmonitor.text.HuggingFaceTokenizerJson;
import com.emotionmonitor.text.PostPreprocessor;
import com.emotionmonitor.text.Preprocessing;
import com.emotionmonitor.text.Vocabulary;
import com.emotionmonitor.text.WeiboTextCleaner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Single-thread throughput of the text front end over a real corpus (posts/s), stage by stage, and
 * our plain-Java tokenizer against DJL's HuggingFace (Rust) tokenizer on the same vocabulary: speed and
 * agreement of the token ids. Best of {@code rounds} timed passes after warm-up passes, because a
 * 2-core machine shared with other work is noisy.
 */
public final class TextFrontEndBench {

    /** Where timed loops leave their result, so dead-code elimination cannot remove them. */
    private static volatile long blackhole;

    private final List<String> posts;
    private final Vocabulary vocab;
    private final int rounds;

    public TextFrontEndBench(List<String> posts, Vocabulary vocab, int rounds) {
        this.posts = posts;
        this.vocab = vocab;
        this.rounds = rounds;
    }

    /** One stage's figure. */
    public record Stage(String name, double postsPerSecond, double microsPerPost) {}

    public record Result(List<Stage> stages, long compared, long identical, List<String> examples) {

        public double agreement() {
            return compared == 0 ? 0 : (double) identical / compared;
        }
    }

    public Result run() throws IOException {
        WeiboTextCleaner cleaner = WeiboTextCleaner.reference();
        PostPreprocessor pre = PostPreprocessor.standard();
        BertChineseTokenizer ours = new BertChineseTokenizer(vocab, Preprocessing.MAX_CHARS + 2);
        List<String> cleaned = new ArrayList<>(posts.size());
        for (String p : posts) {
            cleaned.add(pre.prepare(p).text());
        }
        Path json = Files.createTempFile("tokenizer", ".json");
        List<Stage> stages = new ArrayList<>();
        long identical = 0;
        List<String> examples = new ArrayList<>();
        try {
            HuggingFaceTokenizerJson.write(vocab, json);
            try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.builder().optTokenizerPath(json).optAddSpecialTokens(true)
                    .optTruncation(true).optMaxLength(Preprocessing.MAX_CHARS + 2).build()) {
                stages.add(time("clean (Weibo rules)", posts, t -> cleaner.clean(t).length()));
                stages.add(time("clean + topics + truncate", posts, t -> pre.prepare(t).text().length()));
                stages.add(time("clean + tokenize (plain Java)", posts, t -> ours.encode(pre.prepare(t).text()).length()));
                stages.add(time("tokenize only: plain Java", cleaned, t -> ours.encode(t).length()));
                stages.add(time("tokenize only: DJL HuggingFace (Rust)", cleaned, t -> hf.encode(t).getIds().length));
                for (String t : cleaned) {
                    int[] a = ours.encode(t).ids();
                    long[] b = hf.encode(t).getIds();
                    if (Arrays.equals(a, Arrays.stream(b).mapToInt(x -> (int) x).toArray())) {
                        identical++;
                    } else if (examples.size() < 8) {
                        examples.add(t + "\n      ours " + ours.tokenize(t) + "\n      hf   "
                                + Arrays.toString(hf.encode(t).getTokens()));
                    }
                }
            }
        } finally {
            Files.deleteIfExists(json);
        }
        return new Result(stages, cleaned.size(), identical, examples);
    }

    private Stage time(String name, List<String> input, ToLongFunction<String> work) {
        long sink = 0;
        for (int w = 0; w < 2; w++) {
            for (String s : input) {
                sink += work.applyAsLong(s);
            }
        }
        double best = Double.MAX_VALUE;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (String s : input) {
                sink += work.applyAsLong(s);
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        blackhole = sink; // a volatile write: the JIT cannot discard the work that produced it
        return new Stage(name, input.size() / best, best * 1e6 / input.size());
    }

    public static Map<String, Object> toJson(Result r) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Stage s : r.stages()) {
            out.put(s.name(), Math.round(s.postsPerSecond()));
        }
        out.put("tokenizer_agreement", Math.round(r.agreement() * 1e6) / 1e6);
        return out;
    }
}
