package com.emotionmonitor.text;

/**
 * The whole text front end, shared byte for byte by training and serving: clean (Weibo rules) ->
 * extract #topics# -> truncate to 140 code points -> tokenize. A model version is always served with
 * the pipeline its manifest names (preprocessing version, tokenizer variant, vocabulary, max length).
 */
public final class TextPipeline {

    private final PostPreprocessor preprocessor;
    private final WordPieceTokenizer tokenizer;

    public TextPipeline(PostPreprocessor preprocessor, WordPieceTokenizer tokenizer) {
        this.preprocessor = preprocessor;
        this.tokenizer = tokenizer;
    }

    /** The standard pipeline (reference cleaner, 140 characters) over a vocabulary. */
    public static TextPipeline standard(Vocabulary vocab) {
        return standard(vocab, TokenizerVariant.EMOTION_BERT_CHINESE);
    }

    /** The standard cleaning (reference cleaner, 140 characters) with the tokenizer a model version names. */
    public static TextPipeline standard(Vocabulary vocab, TokenizerVariant tokenizer) {
        return standard(vocab, tokenizer, Preprocessing.MAX_CHARS + 2);
    }

    /**
     * The same for a model with {@code positions} position embeddings: at most 142 tokens, fewer when the model has
     * fewer positions (an imported BERT may), so no post ever indexes past its position table.
     */
    public static TextPipeline standard(Vocabulary vocab, TokenizerVariant tokenizer, int positions) {
        return new TextPipeline(PostPreprocessor.standard(), tokenizer.create(vocab, maxTokens(positions)));
    }

    /** The token cap of a model with {@code positions} position embeddings: 142, or fewer. */
    public static int maxTokens(int positions) {
        return Math.min(Preprocessing.MAX_CHARS + 2, positions);
    }

    /** Cleans, truncates and tokenizes; emptiness is decided after tokenization (see {@link PreparedText#empty()}). */
    public PreparedText prepare(String raw) {
        PreparedPost post = preprocessor.prepare(raw);
        Encoding encoding = tokenizer.encode(post.text());
        return new PreparedText(post.text(), post.topics(), encoding, post.isEmpty() || !hasReadableToken(encoding));
    }

    /** Any token the model can read: not [CLS], [SEP], [UNK] (nor [PAD] or [MASK], which the tokenizer never emits). */
    private boolean hasReadableToken(Encoding encoding) {
        Vocabulary v = tokenizer.vocabulary();
        for (int id : encoding.ids()) {
            if (id != v.clsId() && id != v.sepId() && id != v.unkId() && id != v.padId() && id != v.maskId()) {
                return true;
            }
        }
        return false;
    }

    public WordPieceTokenizer tokenizer() {
        return tokenizer;
    }

    public PostPreprocessor preprocessor() {
        return preprocessor;
    }
}
