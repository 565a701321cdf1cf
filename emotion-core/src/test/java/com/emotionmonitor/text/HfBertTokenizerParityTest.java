package com.emotionmonitor.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.emotionmonitor.data.JsonlPostReader;
import com.emotionmonitor.data.LabeledPost;
import com.emotionmonitor.data.OnError;
import com.emotionmonitor.data.SharedData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Hugging Face variant gives exactly the ids of the tokenizers library (the Rust engine behind
 * {@code BertTokenizerFast}), run through DJL over the {@code tokenizer.json} of the same vocabulary, on every post
 * of usual_train and virus_train after the product's cleaning, truncated as served (142 tokens). The vocabulary has
 * bert-base-chinese's layout and size; characters seen once are left out, so [UNK] and {@code ##} pieces occur as
 * they do with the real file.
 */
class HfBertTokenizerParityTest {

    private static final int MAX_TOKENS = Preprocessing.MAX_CHARS + 2;

    private static List<String> cleaned;
    private static Vocabulary vocab;

    @BeforeAll
    static void readCorpus() throws Exception {
        Path data = SharedData.locate().resolve("smp2020-ewect");
        PostPreprocessor pre = PostPreprocessor.standard();
        cleaned = new ArrayList<>();
        for (String f : List.of("usual_train.jsonl", "virus_train.jsonl")) {
            for (LabeledPost p : JsonlPostReader.readAll(data.resolve(f), OnError.FAIL).posts()) {
                cleaned.add(pre.prepare(p.content()).text());
            }
        }
        vocab = BertChineseLayoutVocabulary.build(cleaned, BertChineseLayoutVocabulary.BERT_BASE_CHINESE_SIZE);
    }

    @ParameterizedTest(name = "do_lower_case={0}")
    @ValueSource(booleans = {true, false})
    void identicalToTheRustTokenizerOnEveryTrainingPost(boolean lowercase, @TempDir Path dir) throws Exception {
        assertEquals(BertChineseLayoutVocabulary.BERT_BASE_CHINESE_SIZE, vocab.size());
        Path json = dir.resolve("tokenizer.json");
        HuggingFaceTokenizerJson.write(vocab, json, lowercase);
        HfBertTokenizer ours = new HfBertTokenizer(vocab, MAX_TOKENS, lowercase);
        int differ = 0;
        int withUnk = 0;
        int withPieces = 0;
        int truncated = 0;
        List<String> examples = new ArrayList<>();
        try (HuggingFaceTokenizer rust = HuggingFaceTokenizer.builder().optTokenizerPath(json).optAddSpecialTokens(true)
                .optTruncation(true).optMaxLength(MAX_TOKENS).build()) {
            for (String text : cleaned) {
                int[] a = ours.encode(text).ids();
                int[] b = Arrays.stream(rust.encode(text).getIds()).mapToInt(x -> (int) x).toArray();
                if (!Arrays.equals(a, b)) {
                    if (++differ <= 5) {
                        examples.add(text + "\n  ours " + ours.tokenize(text) + "\n  rust " + Arrays.toString(rust.encode(text).getTokens()));
                    }
                    continue;
                }
                withUnk += Arrays.stream(a).anyMatch(id -> id == vocab.unkId()) ? 1 : 0;
                withPieces += Arrays.stream(a).anyMatch(id -> vocab.token(id).startsWith("##")) ? 1 : 0;
                truncated += a.length == MAX_TOKENS ? 1 : 0;
            }
        }
        assertEquals(0, differ, differ + " of " + cleaned.size() + " posts tokenize differently:\n" + String.join("\n", examples));
        assertTrue(cleaned.size() > 35_000, "usual_train + virus_train: " + cleaned.size());
        // The comparison covers what matters: unknown words, word pieces and posts at the length cap.
        assertTrue(withUnk > 100 && withPieces > 100 && truncated > 0, withUnk + " with [UNK], " + withPieces
                + " with ## pieces, " + truncated + " truncated");
    }
}
