package com.emotionmonitor.text;

/**
 * The whole text front end, shared byte for byte by training and serving: clean (Weibo rules) ->
 * extract #topics# -> truncate to 140 code points -> tokenize. A model version is always served with
 * the pipeline its manifest names (preprocessing version, vocabulary, max length).
 */
public final class TextPipeline {

    private final PostPreprocessor preprocessor;
    private final BertChineseTokenizer tokenizer;

    public TextPipeline(PostPreprocessor preprocessor, BertChineseTokenizer tokenizer) {
        this.preprocessor = preprocessor;
        this.tokenizer = tokenizer;
    }

    /** The standard pipeline (reference cleaner, 140 characters) over a vocabulary. */
    public static TextPipeline standard(Vocabulary vocab) {
        return new TextPipeline(PostPreprocessor.standard(), new BertChineseTokenizer(vocab, Preprocessing.MAX_CHARS + 2));
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

    public BertChineseTokenizer tokenizer() {
        return tokenizer;
    }

    public PostPreprocessor preprocessor() {
        return preprocessor;
    }
}
