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

    public PreparedText prepare(String raw) {
        PreparedPost post = preprocessor.prepare(raw);
        return new PreparedText(post.text(), post.topics(), tokenizer.encode(post.text()));
    }

    public BertChineseTokenizer tokenizer() {
        return tokenizer;
    }

    public PostPreprocessor preprocessor() {
        return preprocessor;
    }
}
