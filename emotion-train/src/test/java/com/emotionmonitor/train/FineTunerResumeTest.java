package com.emotionmonitor.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.data.JsonlPostReader;
import com.emotionmonitor.data.LabeledPost;
import com.emotionmonitor.data.OnError;
import com.emotionmonitor.data.SharedData;
import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.model.OfflineDefaults;
import com.emotionmonitor.model.ngram.WeightFormat;
import com.emotionmonitor.text.PostPreprocessor;
import com.emotionmonitor.text.TextPipeline;
import com.emotionmonitor.text.Vocabulary;
import com.emotionmonitor.text.VocabularyBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fine-tune stopped part-way and resumed takes exactly the steps of one that never stopped; other inputs are refused. */
class FineTunerResumeTest {

    static {
        OfflineDefaults.apply();
    }

    private static List<LabeledPost> posts;
    private static Vocabulary vocab;

    @BeforeAll
    static void read() throws Exception {
        posts = JsonlPostReader.readAll(SharedData.locate().resolve("smp2020-ewect/usual_train.jsonl"), OnError.FAIL)
                .posts().subList(0, 60);
        VocabularyBuilder vb = new VocabularyBuilder();
        posts.forEach(p -> vb.add(PostPreprocessor.standard().prepare(p.content()).text()));
        vocab = vb.build(1, 1000, 0);
    }

    /** Dropout 0: the steps are then a function of the data plan, the weights and the optimizer's moments alone. */
    private static FineTuneConfig config(Path work, long seed, int checkpointEvery, int maxSteps, boolean resume) {
        return new FineTuneConfig(null, 0, BertConfig.of(vocab.size(), 1, 32, 2).withDropout(0f), 3, 3e-3f, 0.1f, 0f, 0.01f,
                256, 16, "none", 3, 0, seed, "cpu", work, WeightFormat.F32, checkpointEvery, maxSteps, resume);
    }

    private static FineTuner.Result run(FineTuneConfig cfg, List<LabeledPost> trainPosts) throws Exception {
        TextPipeline pipeline = TextPipeline.standard(vocab);
        LabeledSet train = LabeledSet.of("train", trainPosts, pipeline, true);
        LabeledSet selection = LabeledSet.of("selection", posts.subList(40, 60), pipeline, false);
        return new FineTuner(cfg).run(vocab, train, selection, List.of(selection));
    }

    @Test
    void aResumedRunEndsWhereAnUninterruptedOneDoes(@TempDir Path whole, @TempDir Path parts) throws Exception {
        FineTuner.Result uninterrupted = run(config(whole, 7, 1000, 0, false), posts.subList(0, 40));
        assertTrue(uninterrupted.steps() > 8, "the plan must be long enough to stop inside it: " + uninterrupted.steps());

        FineTuner.Result first = run(config(parts, 7, 0, 4, false), posts.subList(0, 40));
        assertEquals(4, first.steps(), "the first sitting stops at --max-steps");
        assertTrue(FineTuneCheckpoint.exists(parts), "a run stopped early leaves a checkpoint");
        FineTuner.Result second = run(config(parts, 7, 0, 3, true), posts.subList(0, 40));
        assertEquals(7, second.steps(), "the second sitting continues from step 4");
        FineTuner.Result last = run(config(parts, 7, 0, 0, true), posts.subList(0, 40));

        assertEquals(uninterrupted.steps(), last.steps());
        assertEquals(uninterrupted.bestStep(), last.bestStep());
        assertEquals(uninterrupted.selectionMacroF1(), last.selectionMacroF1(), 1e-12);
        assertArrayEquals(Files.readAllBytes(whole.resolve(FineTuneCheckpoint.LATEST).resolve(FineTuneCheckpoint.WEIGHTS)),
                Files.readAllBytes(parts.resolve(FineTuneCheckpoint.LATEST).resolve(FineTuneCheckpoint.WEIGHTS)),
                "the last weights after three sittings are those of one uninterrupted run");
        assertArrayEquals(Files.readAllBytes(uninterrupted.weights()), Files.readAllBytes(last.weights()),
                "and so are the best weights");
        assertTrue(last.trainingSeconds() > second.trainingSeconds(), "training time adds up over the sittings");
    }

    @Test
    void aResumeWithOtherInputsOrSettingsIsRefusedWithTheReason(@TempDir Path work) throws Exception {
        run(config(work, 7, 0, 2, false), posts.subList(0, 40));
        IllegalArgumentException seed = assertThrows(IllegalArgumentException.class,
                () -> run(config(work, 8, 0, 0, true), posts.subList(0, 40)));
        assertTrue(seed.getMessage().contains("the seed is 7, not 8"), seed.getMessage());
        IllegalArgumentException data = assertThrows(IllegalArgumentException.class,
                () -> run(config(work, 7, 0, 0, true), posts.subList(0, 39)));
        assertTrue(data.getMessage().contains("the training set"), data.getMessage());
        assertFalse(data.getMessage().contains("the seed"), "only what differs is named: " + data.getMessage());
    }
}
