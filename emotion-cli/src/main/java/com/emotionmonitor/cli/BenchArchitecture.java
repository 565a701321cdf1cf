package com.emotionmonitor.cli;

import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.model.EncoderVariant;
import com.emotionmonitor.text.BertChineseLayoutVocabulary;
import com.emotionmonitor.text.PostPreprocessor;
import com.emotionmonitor.text.TokenizerVariant;
import com.emotionmonitor.text.Vocabulary;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * {@code --arch} of the benchmarks: a randomly initialised classifier of a given shape instead of a published version,
 * for speed only (inference cost does not depend on the weights).
 */
public final class BenchArchitecture {

    /** bert-base-chinese's shape: what an imported Hugging Face checkpoint of that family costs. */
    public static final String BERT_BASE_CHINESE = "bert-base-chinese";
    private static final Pattern SHAPE = Pattern.compile("L(\\d+)-H(\\d+)-A(\\d+)");

    @Option(names = "--arch", description = "Speed only: a randomly initialised classifier of this shape: L<layers>-H<hidden>-"
            + "A<heads> (e.g. L2-H128-A2; needs --vocab), or bert-base-chinese (L12-H768-A12 post-LN, 512 positions, the "
            + "Hugging Face tokenizer, a 21,128-token vocabulary in its layout built from the bench posts unless --vocab); "
            + "weights do not change inference cost.")
    String arch;

    @Option(names = "--variant", defaultValue = "pre-ln", description = "The encoder of an L-H-A --arch: pre-ln (ours) or "
            + "bert-post-ln (Hugging Face's BERT).")
    String variant;

    @Option(names = "--vocab", description = "vocab.txt for --arch.")
    Path vocab;

    /** What to build: the shape, its vocabulary and the tokenizer its posts go through. */
    public record Spec(BertConfig config, Vocabulary vocabulary, TokenizerVariant tokenizer) {}

    public boolean isSet() {
        return arch != null;
    }

    /** @param texts the bench posts, for a bert-base-chinese-layout vocabulary when no --vocab is given */
    public Spec resolve(List<String> texts) {
        if (arch.equals(BERT_BASE_CHINESE)) {
            Vocabulary v = vocab != null ? Vocabulary.load(ProjectPaths.requireFile(vocab, "--vocab"))
                    : BertChineseLayoutVocabulary.build(texts.stream().map(t -> PostPreprocessor.standard().prepare(t).text()).toList(),
                            BertChineseLayoutVocabulary.BERT_BASE_CHINESE_SIZE);
            return new Spec(BertConfig.bert(v.size(), 12, 768, 12), v, TokenizerVariant.HF_BERT_BASIC);
        }
        Matcher m = SHAPE.matcher(arch);
        if (!m.matches()) {
            throw new IllegalArgumentException("--arch must look like L4-H256-A4 or be " + BERT_BASE_CHINESE + ", got " + arch);
        }
        if (vocab == null) {
            throw new IllegalArgumentException("--arch needs --vocab (the vocabulary sets the embedding table's size)");
        }
        Vocabulary v = Vocabulary.load(ProjectPaths.requireFile(vocab, "--vocab"));
        int layers = Integer.parseInt(m.group(1));
        int hidden = Integer.parseInt(m.group(2));
        int heads = Integer.parseInt(m.group(3));
        EncoderVariant ev = EncoderVariant.of(variant);
        return ev == EncoderVariant.PRE_LN ? new Spec(BertConfig.of(v.size(), layers, hidden, heads), v, TokenizerVariant.EMOTION_BERT_CHINESE)
                : new Spec(BertConfig.bert(v.size(), layers, hidden, heads), v, TokenizerVariant.HF_BERT_BASIC);
    }
}
