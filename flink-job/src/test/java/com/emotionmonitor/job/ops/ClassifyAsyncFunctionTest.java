package com.emotionmonitor.job.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.job.JobConfig;
import com.emotionmonitor.job.TestPosts;
import com.emotionmonitor.job.model.LoadedModel;
import com.emotionmonitor.job.model.ModelRegistry;
import com.emotionmonitor.store.ClassifierRequirements;
import com.emotionmonitor.job.model.ModelSource;
import com.emotionmonitor.job.model.TestModelSource;
import com.emotionmonitor.model.BatchPredictor;
import com.emotionmonitor.model.ModelLoadException;
import com.emotionmonitor.store.ModelManifest;
import com.emotionmonitor.schema.DeadLetter;
import com.emotionmonitor.schema.Emotion;
import com.emotionmonitor.schema.EmotionEvent;
import com.emotionmonitor.schema.FailureStage;
import com.emotionmonitor.text.TextPipeline;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.types.Either;
import org.junit.jupiter.api.Test;

/**
 * The classify stage inside Flink's real AsyncWaitOperator (unordered, as the job uses it) and the shared serving
 * micro-batcher, through the operator harness: labels, the empty-text rule, every failure path ending as a dead letter
 * with its reason, and the version's lease released once the last request is done.
 */
class ClassifyAsyncFunctionTest {

    private static final long TIMEOUT_MS = 1_000;
    static final String VERSION = "v7";

    @Test
    void labelsPostsAndAppliesTheEmptyTextRule() throws Exception {
        RecordingPredictor predictor = new RecordingPredictor(false);
        try (OneInputStreamOperatorTestHarness<PostToClassify, Either<DeadLetter, EmotionEvent>> h = harness(predictor)) {
            h.processElement(TestPosts.toClassify("p1", new int[] {1, 2, 3}, VERSION, "高考"), 100L);
            h.processElement(TestPosts.toClassify("empty", new int[0], VERSION), 200L);
            h.endInput();
            Map<String, EmotionEvent> events = events(h.extractOutputValues());

            EmotionEvent p1 = events.get("p1");
            assertEquals(Emotion.FEAR, p1.getEmotion(), "3 tokens -> index 3 from the recording predictor");
            assertEquals(1f, p1.getConfidence());
            assertEquals(List.of("高考"), p1.getTopics());
            assertEquals("test-model", p1.getModelName());
            assertEquals(VERSION, p1.getModelVersion());
            assertEquals(false, p1.getEmptyText());

            EmotionEvent empty = events.get("empty");
            assertEquals(Emotion.NEUTRAL, empty.getEmotion());
            assertTrue(empty.getEmptyText());
            assertEquals(List.of(0f, 0f, 0f, 0f, 0f, 1f), empty.getProbabilities());
            assertEquals(List.of(List.of(3)), predictor.batchLengths, "the model never sees an empty post");
        }
    }

    @Test
    void modelErrorsAndStampsOfVersionsThatCannotLoadBecomeDeadLetters() throws Exception {
        RecordingPredictor predictor = new RecordingPredictor(false);
        predictor.failure = new IllegalStateException("CUDA out of memory");
        try (OneInputStreamOperatorTestHarness<PostToClassify, Either<DeadLetter, EmotionEvent>> h = harness(predictor)) {
            h.processElement(TestPosts.toClassify("broken", new int[] {1, 2}, VERSION), 100L);
            h.processElement(TestPosts.toClassify("foreign", new int[] {1, 2}, "v8"), 200L);
            h.endInput();
            Map<String, DeadLetter> dead = deadLetters(h.extractOutputValues());
            assertEquals(2, dead.size());
            assertEquals(FailureStage.CLASSIFY, dead.get("broken").getStage());
            assertTrue(dead.get("broken").getError().contains("CUDA out of memory"), dead.get("broken").getError());
            assertEquals(7L, dead.get("broken").getSourceOffset());
            assertTrue(dead.get("foreign").getError().contains("test-model/v8"), dead.get("foreign").getError());
            assertTrue(dead.get("foreign").getError().contains("no such version"), dead.get("foreign").getError());
        }
    }

    @Test
    void aStampNotResidentIsLoadedOnDemandAndReleasedAfterItsLastRequest() throws Exception {
        RecordingPredictor predictor = new RecordingPredictor(false);
        ModelRegistry registry = registry(predictor);
        try (OneInputStreamOperatorTestHarness<PostToClassify, Either<DeadLetter, EmotionEvent>> h = harness(registry)) {
            assertTrue(registry.loaded().isEmpty(), "nothing resident before the first post");
            h.processElement(TestPosts.toClassify("restored", new int[] {1, 2, 3, 4}, VERSION), 100L);
            h.endInput();
            EmotionEvent e = events(h.extractOutputValues()).get("restored");
            assertEquals(VERSION, e.getModelVersion(), "labelled by the version it was stamped with");
            assertEquals(1, registry.loads());
        }
        assertTrue(registry.loaded().isEmpty(), "closing the operator releases the version: " + registry.loaded());
        assertEquals(1, registry.releases());
    }

    @Test
    void aPostNotLabelledInTimeBecomesADeadLetter() throws Exception {
        RecordingPredictor stuck = new RecordingPredictor(true);
        try (OneInputStreamOperatorTestHarness<PostToClassify, Either<DeadLetter, EmotionEvent>> h = harness(stuck)) {
            try {
                h.processElement(TestPosts.toClassify("slow", new int[] {1, 2}, VERSION), 100L);
                assertTrue(stuck.firstCallEntered.await(1, java.util.concurrent.TimeUnit.MINUTES), "the post reached the model");
                h.setProcessingTime(TIMEOUT_MS); // fires the async operator's timeout timer: the post is answered now
            } finally {
                stuck.releaseFirstCall.countDown(); // the model's late answer must be ignored
            }
            h.endInput(); // processes the operator's mailbox: emitted results reach the output
            List<Either<DeadLetter, EmotionEvent>> out = h.extractOutputValues();
            assertEquals(1, out.size(), () -> "exactly one answer per post, got " + out);
            DeadLetter d = out.get(0).left();
            assertEquals("slow", d.getPostId());
            assertTrue(d.getError().contains("async timeout of " + TIMEOUT_MS + " ms"), d.getError());
        }
    }

    private static OneInputStreamOperatorTestHarness<PostToClassify, Either<DeadLetter, EmotionEvent>> harness(
            BatchPredictor predictor) throws Exception {
        return harness(registry(predictor));
    }

    /** A registry that "loads" test-model/v7 as the given predictor and refuses every other version. */
    static ModelRegistry registry(BatchPredictor predictor) {
        return new ModelRegistry("classify-test", (target, requirements) -> {
            if (!target.version.equals(VERSION)) {
                throw new ModelLoadException(target.key() + ": no such version");
            }
            return new LoadedModel() {
                @Override
                public ModelManifest manifest() {
                    return new ModelManifest("test-model", VERSION, ModelManifest.CLASSIFIER, null, null,
                            ClassifierRequirements.emotions(4096).labels(), 142, "weibo-clean-1", null, null, null, null, null);
                }

                @Override
                public String manifestSha256() {
                    return "0".repeat(64);
                }

                @Override
                public TextPipeline textPipeline() {
                    throw new UnsupportedOperationException("the classify stage does not preprocess");
                }

                @Override
                public BatchPredictor predictor() {
                    return predictor;
                }

                @Override
                public void close() {}
            };
        });
    }

    private static OneInputStreamOperatorTestHarness<PostToClassify, Either<DeadLetter, EmotionEvent>> harness(
            ModelRegistry registry) throws Exception {
        ModelSource source = new TestModelSource(registry, Path.of("no-store"), TestModelSource.storeTarget(Path.of("no-store"),
                "test-model", VERSION));
        JobConfig config = JobConfig.from(Map.of("batch.max-size", "8", "batch.max-wait", "0ms", "async.capacity", "16",
                "async.timeout", TIMEOUT_MS + "ms"));
        ClassifyAsyncFunction fn = new ClassifyAsyncFunction(source, config.classify());
        OneInputStreamOperatorTestHarness<PostToClassify, Either<DeadLetter, EmotionEvent>> h = new OneInputStreamOperatorTestHarness<>(
                new AsyncWaitOperatorFactory<>(fn, TIMEOUT_MS, 16, AsyncDataStream.OutputMode.UNORDERED),
                TypeInformation.of(PostToClassify.class).createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl()));
        h.setup(ClassifyAsyncFunction.producedType().createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl()));
        h.open();
        return h;
    }

    private static Map<String, EmotionEvent> events(List<Either<DeadLetter, EmotionEvent>> out) {
        Map<String, EmotionEvent> m = new ConcurrentHashMap<>();
        out.forEach(e -> {
            assertTrue(e.isRight(), () -> "unexpected dead letter " + e);
            m.put(e.right().getPostId(), e.right());
        });
        return m;
    }

    private static Map<String, DeadLetter> deadLetters(List<Either<DeadLetter, EmotionEvent>> out) {
        Map<String, DeadLetter> m = new ConcurrentHashMap<>();
        out.forEach(e -> {
            assertTrue(e.isLeft(), () -> "unexpected event " + e);
            m.put(e.left().getPostId(), e.left());
        });
        return m;
    }
}
