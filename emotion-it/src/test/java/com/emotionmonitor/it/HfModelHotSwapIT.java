package com.emotionmonitor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.cli.EmotionCli;
import com.emotionmonitor.job.EmotionPipeline;
import com.emotionmonitor.job.JobConfig;
import com.emotionmonitor.job.KafkaConnectors;
import com.emotionmonitor.job.model.StoreModelSource;
import com.emotionmonitor.schema.EmotionEvent;
import com.emotionmonitor.testkit.EmbeddedKafkaExtension;
import com.emotionmonitor.testkit.HfCheckpoints;
import com.emotionmonitor.testkit.MiniClusters;
import com.emotionmonitor.train.TinyRecipe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running job switches from our own (pre-LN) model to a Hugging Face checkpoint imported with
 * {@code bin/emotion model import-hf} (post-LN BERT, Hugging Face tokenizer: the committed tiny
 * BertForSequenceClassification), and back, under a steady stream: MiniCluster, a real KRaft broker, the model
 * commands in-process. Every post comes out exactly once (read_committed), and per partition the models come in the
 * order ours, imported, ours.
 */
class HfModelHotSwapIT {

    private static final String OURS = "tiny-emotion";
    private static final String IMPORTED = "hf-emotion";
    private static final double POSTS_PER_SECOND = 20;
    private static final int EVENTS_PER_PHASE = 40;
    private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(2);

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.loopback(2);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void switchesToAnImportedCheckpointAndBackWithoutLosingOrDuplicatingAPost(@TempDir Path store) throws Exception {
        TinyRecipe.trainAndPublish(store, OURS, "v1", 42L);
        assertEquals(0, EmotionCli.commandLine().execute("model", "import-hf", HfCheckpoints.classifier().toString(), "--name",
                IMPORTED, "--version", "1", "--model-store", store.toString()), "model import-hf");
        StoreModelSource start = StoreModelSource.resolve(store, OURS, "v1");
        String bootstrap = KAFKA.bootstrapServers();
        JobConfig config = PipelineFixture.config(bootstrap, "hf-hotswap", start, false);
        PipelineFixture.createTopics(bootstrap, config);
        String[] control = {"--bootstrap-servers", bootstrap, "--topic", config.modelControlTopic(), "--status-topic",
                config.modelStatusTopic(), "--model-store", store.toString(), "--wait", "120"};

        ModelHotSwapIT.SteadyProducer producer = new ModelHotSwapIT.SteadyProducer(bootstrap, config.postsTopic(),
                PipelineFixture.posts(50_000), POSTS_PER_SECOND);
        producer.start();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        EmotionPipeline.configure(env, config);
        EmotionPipeline.build(env, config, KafkaConnectors.postsSource(config), start, KafkaConnectors.sinks(config));
        JobClient job = env.executeAsync("hf hot-swap IT");
        try {
            awaitOutput(config, o -> count(o, OURS) >= EVENTS_PER_PHASE, "events from " + OURS);
            assertEquals(0, PipelineFixture.modelCli(control, "activate", IMPORTED, "1"), "ACTIVATE the imported checkpoint, ACTIVE on every subtask");
            awaitOutput(config, o -> count(o, IMPORTED) >= EVENTS_PER_PHASE, "events from " + IMPORTED);
            long oursBefore = count(PipelineFixture.readCommitted(bootstrap, config), OURS);
            assertEquals(0, PipelineFixture.modelCli(control, "activate", OURS, "v1"), "ACTIVATE ours again");
            awaitOutput(config, o -> count(o, OURS) >= oursBefore + EVENTS_PER_PHASE, "events from " + OURS + " again");

            producer.stop();
            int sent = producer.sent().size();
            awaitOutput(config, o -> o.events().size() >= sent, "all " + sent + " posts labelled");
            job.stopWithSavepoint(true, store.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(3, TimeUnit.MINUTES);
        } finally {
            producer.stop();
            if (!job.getJobStatus().get(1, TimeUnit.MINUTES).isGloballyTerminalState()) {
                job.cancel().get(1, TimeUnit.MINUTES);
            }
        }

        PipelineFixture.Output out = PipelineFixture.readCommitted(bootstrap, config);
        assertTrue(out.deadLetters().isEmpty(), () -> "no post given up: " + out.deadLetters());
        List<String> ids = new ArrayList<>(out.eventIds());
        ids.sort(null);
        List<String> expected = new ArrayList<>(producer.sent().keySet());
        expected.sort(null);
        assertEquals(expected.size(), new HashSet<>(ids).size(), "every post labelled");
        assertEquals(expected, ids, "each post exactly once");

        Map<Integer, TreeMap<Long, String>> byPartition = new TreeMap<>();
        for (EmotionEvent e : out.events()) {
            long[] at = producer.sent().get(e.getPostId());
            byPartition.computeIfAbsent((int) at[0], p -> new TreeMap<>()).put(at[1], e.getModelName() + "/" + e.getModelVersion());
        }
        assertEquals(2, byPartition.size(), "both partitions carried posts");
        byPartition.forEach((partition, models) -> assertEquals(List.of(OURS + "/v1", IMPORTED + "/1", OURS + "/v1"),
                runs(models.values()), "partition " + partition + ": models in source order"));
        System.out.println("HfModelHotSwapIT: " + PipelineFixture.versions(out) + " labelled, each once");
    }

    private static long count(PipelineFixture.Output out, String model) {
        return out.events().stream().filter(e -> e.getModelName().equals(model)).count();
    }

    private static void awaitOutput(JobConfig config, Predicate<PipelineFixture.Output> done, String what) throws Exception {
        PipelineFixture.awaitOutput(KAFKA.bootstrapServers(), config, done, what, PHASE_TIMEOUT);
    }

    /** The models in order with repeats collapsed. */
    private static List<String> runs(Iterable<String> models) {
        List<String> runs = new ArrayList<>();
        for (String m : models) {
            if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(m)) {
                runs.add(m);
            }
        }
        return runs;
    }
}
