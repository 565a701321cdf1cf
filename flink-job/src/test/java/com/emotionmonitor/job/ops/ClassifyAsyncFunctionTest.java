package com.emotionmonitor.job.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.job.JobConfig;
import com.emotionmonitor.job.TestPosts;
import com.emotionmonitor.job.model.LoadedModel;
import com.emotionmonitor.job.model.ModelLease;
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
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
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
        try (OneInputStreamOperatorTestHarness<PostToClassify, ClassifiedPost> h = harness(predictor)) {
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
        try (OneInputStreamOperatorTestHarness<PostToClassify, ClassifiedPost> h = harness(predictor)) {
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
        try (OneInputStreamOperatorTestHarness<PostToClassify, ClassifiedPost> h = harness(registry)) {
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
        try (OneInputStreamOperatorTestHarness<PostToClassify, ClassifiedPost> h = harness(stuck)) {
            try {
                h.processElement(TestPosts.toClassify("slow", new int[] {1, 2}, VERSION), 100L);
                assertTrue(stuck.firstCallEntered.await(1, java.util.concurrent.TimeUnit.MINUTES), "the post reached the model");
                h.setProcessingTime(TIMEOUT_MS); // fires the async operator's timeout timer: the post is answered now
            } finally {
                stuck.releaseFirstCall.countDown(); // the model's late answer must be ignored
            }
            h.endInput(); // processes the operator's mailbox: emitted results reach the output
            List<ClassifiedPost> out = h.extractOutputValues();
            assertEquals(1, out.size(), () -> "exactly one answer per post, got " + out);
            DeadLetter d = out.get(0).deadLetter;
            assertEquals("slow", d.getPostId());
            assertTrue(d.getError().contains("async timeout of " + TIMEOUT_MS + " ms"), d.getError());
        }
    }

    @Test
    void aShadowedPostIsLabelledByBothVersionsAndOnlyTheServingLabelBecomesTheEvent() throws Exception {
        RecordingPredictor serving = new RecordingPredictor(false);
        RecordingPredictor shadow = new RecordingPredictor(false);
        ModelRegistry registry = registry(Map.of(VERSION, serving, SHADOW, shadow));
        try (ModelLease routerHoldsTheShadow = registry.prepare(target(SHADOW), JOB).get(1, TimeUnit.MINUTES);
             OneInputStreamOperatorTestHarness<PostToClassify, ClassifiedPost> h = harness(registry)) {
            h.processElement(shadowed(TestPosts.toClassify("both", new int[] {1, 2, 3}, VERSION, "高考"), new int[] {1, 2, 3, 4}), 100L);
            h.processElement(shadowed(TestPosts.toClassify("empty-for-shadow", new int[] {1, 2}, VERSION), new int[0]), 110L);
            h.processElement(TestPosts.toClassify("plain", new int[] {1, 2, 3}, VERSION), 120L);
            h.endInput();
            Map<String, ClassifiedPost> out = byId(h.extractOutputValues());

            ClassifiedPost both = out.get("both");
            assertEquals(Emotion.FEAR, both.event.getEmotion(), "the serving version's label: 3 tokens -> index 3");
            assertEquals(VERSION, both.event.getModelVersion(), "the event is the serving version's");
            assertEquals(new ShadowLabel("test-model", SHADOW, Emotion.SURPRISE.ordinal(), 1f, false), both.shadow,
                    "the shadow labelled its own 4 tokens");
            EmotionEvent plain = out.get("plain").event;
            assertEquals(withoutClock(plain, "both"), withoutClock(both.event, "both"), "a shadow changes nothing in the event");
            assertEquals(null, out.get("plain").shadow);
            ShadowLabel empty = out.get("empty-for-shadow").shadow;
            assertTrue(empty.emptyText && empty.emotion == Emotion.NEUTRAL.ordinal(), "NEUTRAL by rule: " + empty);

            assertEquals(List.of(List.of(4)), shadow.batchLengths, "the shadow saw only its own request");
            assertTrue(serving.batchLengths.stream().flatMap(List::stream).allMatch(n -> n == 2 || n == 3),
                    "batches never mix versions: " + serving.batchLengths);
        }
        assertTrue(registry.loaded().isEmpty(), "every lease is released once the requests are done: " + registry.loaded());
    }

    @Test
    void aShadowThatIsNotResidentOrFailsCostsThePostNothingButItsComparison() throws Exception {
        RecordingPredictor failing = new RecordingPredictor(false);
        failing.failure = new IllegalStateException("shadow weights on fire");
        ModelRegistry registry = registry(Map.of(VERSION, new RecordingPredictor(false), SHADOW, failing));
        try (OneInputStreamOperatorTestHarness<PostToClassify, ClassifiedPost> h = harness(registry)) {
            h.processElement(shadowed(TestPosts.toClassify("not-resident", new int[] {1, 2, 3}, VERSION), new int[] {1, 2}), 100L);
            try (ModelLease held = registry.prepare(target(SHADOW), JOB).get(1, TimeUnit.MINUTES)) {
                h.processElement(shadowed(TestPosts.toClassify("fails", new int[] {1, 2, 3}, VERSION), new int[] {1, 2}), 110L);
                h.endInput();
            }
            Map<String, ClassifiedPost> out = byId(h.extractOutputValues());
            assertEquals(2, out.size());
            out.values().forEach(c -> {
                assertTrue(c.isLabelled(), "the post keeps its event: " + c);
                assertEquals(null, c.shadow, "but has no comparison: " + c);
            });
        }
    }

    @Test
    void aCanaryStampIsLeasedPerPostAndReleasedAfterItsRequest() throws Exception {
        RecordingPredictor serving = new RecordingPredictor(false);
        RecordingPredictor candidate = new RecordingPredictor(false);
        ModelRegistry registry = registry(Map.of(VERSION, serving, SHADOW, candidate));
        try (OneInputStreamOperatorTestHarness<PostToClassify, ClassifiedPost> h = harness(registry)) {
            // As in the job, the router holds both the serving version and the candidate while the canary runs (else the
            // serving version could be released between two of its posts and loaded again: a timing-dependent count).
            try (ModelLease routerServing = registry.prepare(target(VERSION), JOB).get(1, TimeUnit.MINUTES);
                 ModelLease routerCandidate = registry.prepare(target(SHADOW), JOB).get(1, TimeUnit.MINUTES)) {
                for (int i = 0; i < 6; i++) {
                    PostToClassify p = TestPosts.toClassify("p" + i, new int[] {1, 2}, i % 2 == 0 ? VERSION : SHADOW);
                    p.canary = !p.modelVersion.equals(VERSION);
                    h.processElement(p, 100L + i);
                }
                h.endInput();
            }
            Map<String, EmotionEvent> events = events(h.extractOutputValues());
            assertEquals(6, events.size());
            assertEquals(List.of(VERSION, SHADOW, VERSION, SHADOW, VERSION, SHADOW),
                    List.of("p0", "p1", "p2", "p3", "p4", "p5").stream().map(id -> events.get(id).getModelVersion()).toList(),
                    "each post labelled and stamped by its version");
            assertEquals(3, candidate.batchLengths.stream().mapToInt(List::size).sum(), "the candidate labelled its three");
        }
        assertTrue(registry.loaded().isEmpty(), "released with the router's lease and the last request: " + registry.loaded());
        assertEquals(2, registry.releases());
    }

    private static final String SHADOW = "v9";
    private static final ClassifierRequirements JOB = ClassifierRequirements.emotions(4096);

    private static com.emotionmonitor.job.model.ModelTarget target(String version) {
        return TestModelSource.storeTarget(Path.of("no-store"), "test-model", version);
    }

    private static PostToClassify shadowed(PostToClassify post, int[] shadowTokens) {
        post.shadowModelName = "test-model";
        post.shadowModelVersion = SHADOW;
        post.shadowTokenIds = shadowTokens;
        post.shadowEmptyText = shadowTokens.length == 0;
        return post;
    }

    private static Map<String, ClassifiedPost> byId(List<ClassifiedPost> out) {
        Map<String, ClassifiedPost> m = new ConcurrentHashMap<>();
        out.forEach(c -> m.put(c.isLabelled() ? c.event.getPostId() : c.deadLetter.getPostId(), c));
        return m;
    }

    /** The event with the post id and the wall clock (processed_at) set aside. */
    private static EmotionEvent withoutClock(EmotionEvent e, String id) {
        return EmotionEvent.newBuilder(e).setPostId(id).setProcessedAt(java.time.Instant.EPOCH).setTopics(List.of()).build();
    }

    private static OneInputStreamOperatorTestHarness<PostToClassify, ClassifiedPost> harness(
            BatchPredictor predictor) throws Exception {
        return harness(registry(predictor));
    }

    /** A registry that "loads" test-model/v7 as the given predictor and refuses every other version. */
    static ModelRegistry registry(BatchPredictor predictor) {
        return registry(Map.of(VERSION, predictor));
    }

    /** A registry that "loads" each test-model version of {@code versions} as its predictor, and refuses the others. */
    static ModelRegistry registry(Map<String, BatchPredictor> versions) {
        return new ModelRegistry("classify-test", (target, requirements) -> {
            BatchPredictor predictor = versions.get(target.version);
            if (predictor == null) {
                throw new ModelLoadException(target.key() + ": no such version");
            }
            return new LoadedModel() {
                @Override
                public ModelManifest manifest() {
                    return new ModelManifest("test-model", target.version, ModelManifest.CLASSIFIER, null, null,
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

    private static OneInputStreamOperatorTestHarness<PostToClassify, ClassifiedPost> harness(
            ModelRegistry registry) throws Exception {
        ModelSource source = new TestModelSource(registry, Path.of("no-store"), TestModelSource.storeTarget(Path.of("no-store"),
                "test-model", VERSION));
        JobConfig config = JobConfig.from(Map.of("batch.max-size", "8", "batch.max-wait", "0ms", "async.capacity", "16",
                "async.timeout", TIMEOUT_MS + "ms"));
        ClassifyAsyncFunction fn = new ClassifyAsyncFunction(source, config.classify());
        OneInputStreamOperatorTestHarness<PostToClassify, ClassifiedPost> h = new OneInputStreamOperatorTestHarness<>(
                new AsyncWaitOperatorFactory<>(fn, TIMEOUT_MS, 16, AsyncDataStream.OutputMode.UNORDERED),
                TypeInformation.of(PostToClassify.class).createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl()));
        h.setup(ClassifyAsyncFunction.producedType().createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl()));
        h.open();
        return h;
    }

    static Map<String, EmotionEvent> events(List<ClassifiedPost> out) {
        Map<String, EmotionEvent> m = new ConcurrentHashMap<>();
        out.forEach(e -> {
            assertTrue(e.isLabelled(), () -> "unexpected dead letter " + e);
            m.put(e.event.getPostId(), e.event);
        });
        return m;
    }

    private static Map<String, DeadLetter> deadLetters(List<ClassifiedPost> out) {
        Map<String, DeadLetter> m = new ConcurrentHashMap<>();
        out.forEach(e -> {
            assertTrue(!e.isLabelled(), () -> "unexpected event " + e);
            m.put(e.deadLetter.getPostId(), e.deadLetter);
        });
        return m;
    }
}
