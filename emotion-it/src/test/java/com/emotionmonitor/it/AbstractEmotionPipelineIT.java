package com.emotionmonitor.it;

import com.emotionmonitor.testkit.MiniClusters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.job.EmotionPipeline;
import com.emotionmonitor.job.JobConfig;
import com.emotionmonitor.job.KafkaConnectors;
import com.emotionmonitor.job.model.StoreModelSource;
import com.emotionmonitor.job.ops.EmotionStatsFields;
import com.emotionmonitor.schema.DeadLetter;
import com.emotionmonitor.schema.Emotion;
import com.emotionmonitor.schema.EmotionEvent;
import com.emotionmonitor.schema.EmotionStats;
import com.emotionmonitor.schema.FailureStage;
import com.emotionmonitor.schema.SocialPost;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job on a Flink MiniCluster against a real Kafka broker (the subclass says which), with a real tiny model
 * trained in the test: N posts in -> exactly N events out (read_committed, ids compared one by one), global stats
 * summing to N, malformed bytes in the dead-letter topic with their coordinates and reason.
 */
abstract class AbstractEmotionPipelineIT {

    static final int N = 240;

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.loopback(2);

    /** Bootstrap servers of the broker under test (topics are created per test). */
    abstract String bootstrapServers();


    @Test
    void everyPostIsLabelledExactlyOnceCountedInTheStatsAndBadBytesAreDeadLettered(@TempDir Path store) throws Exception {
        StoreModelSource model = PipelineFixture.tinyModel(store);
        JobConfig config = PipelineFixture.config(bootstrapServers(), "bounded-" + getClass().getSimpleName(), model, true);
        PipelineFixture.createTopics(bootstrapServers(), config);
        List<SocialPost> posts = PipelineFixture.posts(N);
        byte[] valid = new com.emotionmonitor.job.io.AvroCodec<>(SocialPost.class).encode(posts.get(0));
        List<byte[]> malformed = List.of(
                "this is not avro".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08},
                java.util.Arrays.copyOf(valid, valid.length + 2),
                huge());
        List<PipelineFixture.Produced> malformedAt = PipelineFixture.produce(bootstrapServers(), config.postsTopic(), posts, malformed);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        EmotionPipeline.configure(env, config);
        EmotionPipeline.build(env, config, KafkaConnectors.postsSource(config), model, KafkaConnectors.sinks(config));
        env.execute("pipeline IT (bounded)");

        PipelineFixture.Output out = PipelineFixture.readCommitted(bootstrapServers(), config);

        // Exactly N events: the same ids, one by one, none twice.
        List<String> expected = new ArrayList<>(posts.stream().map(SocialPost::getId).sorted().toList());
        List<String> actual = new ArrayList<>(out.eventIds());
        actual.sort(null);
        assertEquals(expected, actual);

        for (EmotionEvent e : out.events()) {
            assertEquals(model.modelName(), e.getModelName());
            assertEquals(model.modelVersion(), e.getModelVersion());
            assertEquals(6, e.getProbabilities().size());
            assertEquals(1.0, e.getProbabilities().stream().mapToDouble(Float::doubleValue).sum(), 1e-4);
        }
        List<EmotionEvent> empty = out.events().stream().filter(EmotionEvent::getEmptyText).toList();
        assertEquals(Set.of("post-5", "post-" + (N - 2)), ids(empty), "posts empty after cleaning are flagged");
        empty.forEach(e -> assertEquals(Emotion.NEUTRAL, e.getEmotion()));

        // Statistics: every event counted once in the global scope, topic scopes as the events say.
        assertEquals(N, out.globalStatsTotal(), out::describeGlobalStats);
        long topicEvents = out.events().stream().filter(e -> e.getTopics().contains("高考加油")).count();
        assertTrue(topicEvents > 0, "the #topic# posts carry their topic");
        long topicStats = out.stats().stream().filter(s -> s.getScope().equals("topic:高考加油"))
                .mapToLong(EmotionStats::getTotal).sum();
        assertEquals(topicEvents, topicStats);

        // Example ids: real events of that emotion (most confident first), min(count, window.example-ids) of them.
        Map<String, EmotionEvent> byId = new HashMap<>();
        out.events().forEach(e -> byId.put(e.getPostId(), e));
        for (EmotionStats s : out.stats()) {
            for (Emotion emotion : Emotion.values()) {
                List<String> examples = examples(s, emotion);
                long count = EmotionStatsFields.count(s.getCounts(), emotion);
                assertEquals(Math.min(count, config.exampleIds()), examples.size(), s.toString());
                for (String id : examples) {
                    assertEquals(emotion, byId.get(id).getEmotion(), id + " in " + s);
                }
            }
        }

        // Malformed bytes: dead letters with the exact source coordinates and a reason.
        assertEquals(malformed.size(), out.deadLetters().size());
        Set<PipelineFixture.Produced> deadAt = new HashSet<>();
        for (DeadLetter d : out.deadLetters()) {
            assertEquals(config.postsTopic(), d.getSourceTopic());
            assertEquals(FailureStage.DESERIALIZE, d.getStage());
            assertFalse(d.getError().isBlank());
            deadAt.add(new PipelineFixture.Produced(d.getSourcePartition(), d.getSourceOffset()));
        }
        assertEquals(new HashSet<>(malformedAt), deadAt);
        DeadLetter bigOne = out.deadLetters().stream().filter(d -> d.getRawValueSize() != null).findFirst().orElseThrow();
        assertEquals(HUGE, bigOne.getRawValueSize(), "says how big the record was");
        assertEquals(512 * 1024, bigOne.getRawValue().remaining(), "keeps its first 512 KiB: the dead letter itself must fit");
    }

    /** Garbage just under the producer's 1 MiB request limit: copied whole, its dead letter would not fit that limit. */
    static final int HUGE = 1_048_000;

    private static byte[] huge() {
        byte[] b = new byte[HUGE];
        java.util.Arrays.fill(b, (byte) 0x7f); // a negative Avro length: not a SocialPost
        return b;
    }

    static List<String> examples(EmotionStats s, Emotion e) {
        return EmotionStatsFields.examples(s.getExamples(), e);
    }

    static Set<String> ids(List<EmotionEvent> events) {
        Set<String> ids = new HashSet<>();
        events.forEach(e -> ids.add(e.getPostId()));
        return ids;
    }
}
