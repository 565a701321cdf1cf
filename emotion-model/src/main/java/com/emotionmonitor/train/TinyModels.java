package com.emotionmonitor.train;

import com.emotionmonitor.data.LabeledPost;
import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.text.PostPreprocessor;
import com.emotionmonitor.text.Preprocessing;
import com.emotionmonitor.text.TextPipeline;
import com.emotionmonitor.text.Vocabulary;
import com.emotionmonitor.text.VocabularyBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real, tiny emotion model trained in seconds on a few hand-written posts: for tests and hot-swap
 * smoke checks that need a genuine model version (manifest, checksums, weights, vocabulary) without
 * hours of training. It memorises its training posts; it is not a useful classifier and its manifest
 * says so.
 */
public final class TinyModels {

    /** Six short posts per emotion, in the labels' order. */
    public static final List<LabeledPost> POSTS = posts(Map.of(
            "happy", List.of("今天太开心了哈哈", "好幸福啊谢谢大家", "终于放假了好高兴", "考试通过了开心", "和朋友吃饭真快乐", "收到礼物好开心😊"),
            "angry", List.of("气死我了什么破服务", "太过分了简直无语", "真让人愤怒垃圾", "又堵车烦死了气人", "骗子公司可恶至极", "凭什么这样对我生气"),
            "sad", List.of("好难过想哭", "心里好痛失恋了", "今天很伤心泪", "想念去世的外婆难过", "一个人好孤单悲伤", "失败了好失落"),
            "fear", List.of("好害怕晚上不敢出门", "病毒太可怕了担心", "吓死我了地震了", "恐怖片看得发抖", "担心家人的安全害怕", "深夜听到怪声好怕"),
            "surprise", List.of("天哪居然是真的", "没想到他会来惊喜", "竟然中奖了震惊", "哇这也太意外了吧", "什么?他结婚了?", "居然下雪了好惊讶"),
            "neutral", List.of("今天开会讨论方案", "明天上午九点出发", "这本书一共三百页", "地铁二号线换乘", "天气预报说多云", "会议改到下周三")));

    private TinyModels() {}

    private static List<LabeledPost> posts(Map<String, List<String>> byLabel) {
        List<LabeledPost> out = new ArrayList<>();
        long line = 1;
        for (String label : List.of("happy", "angry", "sad", "fear", "surprise", "neutral")) {
            for (String text : byLabel.get(label)) {
                out.add(new LabeledPost("tiny-" + line, text, label, line));
                line++;
            }
        }
        return out;
    }

    /** Trains on {@link #POSTS} and publishes {@code storeRoot/name/version}; returns the version directory. */
    public static Path trainAndPublish(Path storeRoot, String name, String version, long seed) throws IOException {
        VocabularyBuilder vb = new VocabularyBuilder();
        PostPreprocessor pre = PostPreprocessor.standard();
        POSTS.forEach(p -> vb.add(pre.prepare(p.content()).text()));
        Vocabulary vocab = vb.build(1, 1000, 0);
        TextPipeline pipeline = TextPipeline.standard(vocab);
        LabeledSet train = LabeledSet.of("tiny-train", POSTS, pipeline, true);
        Path work = Files.createTempDirectory("tiny-model");
        try {
            FineTuneConfig cfg = new FineTuneConfig(null, new BertConfig(vocab.size(), 32, 1, 2, 64, Preprocessing.MAX_CHARS + 2, 2, 0f),
                    100, 5e-3f, 0.05f, 0f, 0f, 4096, 64, "none", 10, 0, seed, "cpu", work);
            FineTuner.Result r = new FineTuner(cfg).run(vocab, train, train, List.of(train));
            return ClassifierPublisher.publish(r, storeRoot, name, version, null,
                    Map.of("data", "TinyModels.POSTS: 36 hand-written posts (6 per emotion)", "purpose",
                            "tests and smoke checks only: memorises its training posts", "seed", seed));
        } finally {
            PretrainCheckpoint.deleteTree(work);
        }
    }
}
