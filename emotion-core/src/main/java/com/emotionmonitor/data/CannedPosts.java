package com.emotionmonitor.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * 36 short hand-written Weibo-style posts, six per emotion: the canned input of the smoke inference every model
 * version passes before it serves, and the training set of the tiny recipe (a real model trained in seconds).
 */
public final class CannedPosts {

    /** Six posts per emotion, in the labels' order (happy, angry, sad, fear, surprise, neutral); ids tiny-1 .. tiny-36. */
    public static final List<LabeledPost> POSTS = posts(Map.of(
            "happy", List.of("今天太开心了哈哈", "好幸福啊谢谢大家", "终于放假了好高兴", "考试通过了开心", "和朋友吃饭真快乐", "收到礼物好开心😊"),
            "angry", List.of("气死我了什么破服务", "太过分了简直无语", "真让人愤怒垃圾", "又堵车烦死了气人", "骗子公司可恶至极", "凭什么这样对我生气"),
            "sad", List.of("好难过想哭", "心里好痛失恋了", "今天很伤心泪", "想念去世的外婆难过", "一个人好孤单悲伤", "失败了好失落"),
            "fear", List.of("好害怕晚上不敢出门", "病毒太可怕了担心", "吓死我了地震了", "恐怖片看得发抖", "担心家人的安全害怕", "深夜听到怪声好怕"),
            "surprise", List.of("天哪居然是真的", "没想到他会来惊喜", "竟然中奖了震惊", "哇这也太意外了吧", "什么?他结婚了?", "居然下雪了好惊讶"),
            "neutral", List.of("今天开会讨论方案", "明天上午九点出发", "这本书一共三百页", "地铁二号线换乘", "天气预报说多云", "会议改到下周三")));

    private CannedPosts() {}

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
}
