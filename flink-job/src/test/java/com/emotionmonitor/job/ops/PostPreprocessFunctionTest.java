package com.emotionmonitor.job.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.job.TestPosts;
import com.emotionmonitor.job.io.ReceivedPost;
import com.emotionmonitor.job.model.ModelLease;
import com.emotionmonitor.job.model.SharedModels;
import com.emotionmonitor.job.model.StoreModelSource;
import com.emotionmonitor.train.TinyModels;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Preprocessing with the text pipeline of a real (tiny, trained here) model version, through the operator harness. */
class PostPreprocessFunctionTest {

    @TempDir static Path store;
    static StoreModelSource model;

    @BeforeAll
    static void trainTinyModel() throws Exception {
        TinyModels.trainAndPublish(store, "tiny", "t1", 1L);
        model = StoreModelSource.resolve(store, "tiny", "");
    }

    @Test
    void tokenizesWithTheModelsOwnPipelineAndStampsItsVersion() throws Exception {
        ReceivedPost post = TestPosts.received("p1", "#高考# 今天太开心了哈哈 http://t.cn/A6abc", 11);
        int loadedBefore = SharedModels.loadedCount();
        try (OneInputStreamOperatorTestHarness<ReceivedPost, PostToClassify> h =
                     ProcessFunctionTestHarnesses.forProcessFunction(new PostPreprocessFunction(model));
             ModelLease reference = model.acquire()) {
            h.processElement(post, 5L);
            List<PostToClassify> out = h.extractOutputValues();
            assertEquals(1, out.size());
            PostToClassify p = out.get(0);
            assertEquals(post, p.received);
            assertEquals("t1", p.modelVersion);
            assertEquals(false, p.emptyText);
            assertArrayEquals(new String[] {"高考"}, p.topics);
            assertArrayEquals(reference.textPipeline().prepare(post.post.getText()).encoding().ids(), p.tokenIds,
                    "serving must tokenize exactly as the model's pipeline does");
            assertEquals(loadedBefore + 1, SharedModels.loadedCount(), "operator and reference share one loaded copy");
        }
        assertEquals(loadedBefore, SharedModels.loadedCount(), "the model is unloaded with its last lease");
    }

    @Test
    void postsEmptyAfterCleaningAreFlaggedNotDropped() throws Exception {
        try (OneInputStreamOperatorTestHarness<ReceivedPost, PostToClassify> h =
                     ProcessFunctionTestHarnesses.forProcessFunction(new PostPreprocessFunction(model))) {
            h.processElement(TestPosts.received("url-only", "http://t.cn/A6vXyZ12", 1), 1L);
            h.processElement(TestPosts.received("blank", "   ", 2), 2L);
            List<PostToClassify> out = h.extractOutputValues();
            assertEquals(2, out.size(), "posts in == posts out");
            for (PostToClassify p : out) {
                assertTrue(p.emptyText, p.toString());
                assertEquals(0, p.tokenIds.length);
            }
        }
    }
}
