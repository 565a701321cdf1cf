package com.emotionmonitor.job.ops;

import static com.emotionmonitor.job.ops.ClassifyAsyncFunctionTest.VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.job.TestPosts;
import com.emotionmonitor.job.model.ModelRegistry;
import com.emotionmonitor.store.ClassifierRequirements;
import com.emotionmonitor.job.model.TestModelSource;
import com.emotionmonitor.schema.Emotion;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.operators.StreamMap;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The per-record baseline in Flink's map operator: one forward pass per post, same outputs and failure contract. */
class PerRecordClassifyFunctionTest {

    @Test
    void onePassPerPostTheEmptyTextRuleAndDeadLettersForVersionsThatCannotLoad() throws Exception {
        RecordingPredictor predictor = new RecordingPredictor(false);
        ModelRegistry registry = ClassifyAsyncFunctionTest.registry(predictor);
        try (OneInputStreamOperatorTestHarness<PostToClassify, ClassifiedPost> h = harness(registry)) {
            h.processElement(TestPosts.toClassify("p1", new int[] {1, 2, 3}, VERSION), 100L);
            h.processElement(TestPosts.toClassify("p2", new int[] {1, 2}, VERSION), 110L);
            h.processElement(TestPosts.toClassify("empty", new int[0], VERSION), 120L);
            h.processElement(TestPosts.toClassify("foreign", new int[] {1, 2}, "v8"), 130L);
            List<ClassifiedPost> out = h.extractOutputValues();
            assertEquals(4, out.size(), "one answer per post, in order: " + out);
            assertEquals(Emotion.FEAR, out.get(0).event.getEmotion(), "3 tokens -> index 3 from the recording predictor");
            assertEquals(VERSION, out.get(0).event.getModelVersion());
            assertTrue(out.get(2).event.getEmptyText());
            assertTrue(out.get(3).deadLetter.getError().contains("no such version"), out.get(3).deadLetter.getError());
            assertEquals(List.of(List.of(3), List.of(2)), predictor.batchLengths, "one forward pass per post, never batched");
        }
        assertTrue(registry.loaded().isEmpty(), "closing the operator releases the version: " + registry.loaded());
    }

    private static OneInputStreamOperatorTestHarness<PostToClassify, ClassifiedPost> harness(
            ModelRegistry registry) throws Exception {
        TestModelSource source = new TestModelSource(registry, Path.of("no-store"),
                TestModelSource.storeTarget(Path.of("no-store"), "test-model", VERSION));
        OneInputStreamOperatorTestHarness<PostToClassify, ClassifiedPost> h = new OneInputStreamOperatorTestHarness<>(
                new StreamMap<>(new PerRecordClassifyFunction(source, ClassifierRequirements.emotions(4096))),
                TypeInformation.of(PostToClassify.class).createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl()));
        h.setup(ClassifyAsyncFunction.producedType().createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl()));
        h.open();
        return h;
    }
}
