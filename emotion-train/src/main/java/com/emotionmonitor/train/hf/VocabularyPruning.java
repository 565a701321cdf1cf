package com.emotionmonitor.train.hf;

import com.emotionmonitor.text.Encoding;
import com.emotionmonitor.text.PostPreprocessor;
import com.emotionmonitor.text.Preprocessing;
import com.emotionmonitor.text.TextPipeline;
import com.emotionmonitor.text.Vocabulary;
import com.emotionmonitor.text.WeiboTextCleaner;
import com.emotionmonitor.train.LabeledSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;

/**
 * A checkpoint's vocabulary cut to the tokens a corpus uses, with the embedding rows cut to match: multilingual BERT
 * carries 119,547 WordPiece tokens, of which Chinese posts use a few thousand, and the embedding table is most of its
 * size. The kept tokens stay in their original order; the special tokens are always kept.
 *
 * <p>For every post of the corpus the pruned model sees exactly the tokens the full one did: WordPiece takes the longest
 * vocabulary match at each position, every token the full vocabulary gave these posts is kept (from whole posts, so
 * every piece of a word the serving cap cuts is kept too: one missing piece turns the whole word into [UNK]), and a
 * longer match in the pruned vocabulary would have been a longer match in the full one. A later post with a token the corpus never used
 * reads {@code [UNK]} where the full vocabulary had a piece for it.
 *
 * @param keptIds the original ids kept, ascending (row {@code i} of the pruned table is row {@code keptIds[i]})
 * @param posts posts of the corpus tokenized
 */
public record VocabularyPruning(int[] keptIds, Vocabulary vocabulary, int originalSize, long posts) {

    /**
     * The tensors whose first axis is the vocabulary (the MLM decoder's bias is dropped at import, but cut too), as a
     * BertFor* class names them; a bare BertModel's carry no {@code bert.} prefix.
     */
    static final Set<String> VOCAB_ROWS = Set.of("bert.embeddings.word_embeddings.weight", "cls.predictions.bias",
            "cls.predictions.output_bias");

    private static boolean isVocabRows(String name) {
        return VOCAB_ROWS.contains(name) || VOCAB_ROWS.contains("bert." + name);
    }

    /** More tokens than a 140-character post can give. */
    private static final int UNCAPPED = 4096;

    /**
     * Tokenizes every post of the JSONL files (the import's cleaning and tokenizer, whole posts) and keeps the tokens they
     * use.
     */
    public static VocabularyPruning fromCorpus(HfBertCheckpoint ckpt, String preprocessingVersion,
            List<Path> corpus) throws IOException {
        Vocabulary full = ckpt.vocabulary();
        TextPipeline pipeline = new TextPipeline(new PostPreprocessor(
                new WeiboTextCleaner(Preprocessing.optionsFor(preprocessingVersion)), Preprocessing.MAX_CHARS),
                // No token cap: every piece of a word must be kept, or WordPiece reads the whole word as [UNK] where the
                // serving cap cuts it after that piece.
                ckpt.tokenizer().create(full, UNCAPPED));
        BitSet used = new BitSet(full.size());
        for (String special : Vocabulary.SPECIALS) {
            used.set(full.lastIdOf(special));
        }
        long posts = 0;
        for (Path file : corpus) {
            for (String text : LabeledSet.readTexts(file)) {
                Encoding e = pipeline.prepare(text).encoding();
                for (int id : e.ids()) {
                    used.set(id);
                }
                posts++;
            }
        }
        int[] kept = used.stream().toArray();
        List<String> tokens = new ArrayList<>(kept.length);
        for (int id : kept) {
            tokens.add(full.token(id));
        }
        return new VocabularyPruning(kept, Vocabulary.of(tokens), full.size(), posts);
    }

    /** The weights with every vocabulary-sized table cut to the kept rows. */
    TensorSource apply(TensorSource weights) {
        return new TensorSource() {
            @Override
            public String describe() {
                return weights.describe();
            }

            @Override
            public Set<String> names() {
                return weights.names();
            }

            @Override
            public String originalName(String name) {
                return weights.originalName(name);
            }

            @Override
            public List<String> ignored() {
                return weights.ignored();
            }

            @Override
            public long[] shape(String name) {
                long[] shape = weights.shape(name);
                if (isVocabRows(name) && shape.length > 0 && shape[0] == originalSize) {
                    shape[0] = keptIds.length;
                }
                return shape;
            }

            @Override
            public float[] floats(String name) throws IOException {
                float[] values = weights.floats(name);
                long[] shape = weights.shape(name);
                if (!isVocabRows(name) || shape.length == 0 || shape[0] != originalSize) {
                    return values;
                }
                int width = values.length / originalSize;
                float[] out = new float[keptIds.length * width];
                for (int i = 0; i < keptIds.length; i++) {
                    System.arraycopy(values, keptIds[i] * width, out, i * width, width);
                }
                return out;
            }

            @Override
            public void close() throws IOException {
                weights.close();
            }
        };
    }
}
