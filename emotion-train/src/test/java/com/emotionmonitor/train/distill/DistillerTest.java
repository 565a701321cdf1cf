package com.emotionmonitor.train.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.data.CannedPosts;
import com.emotionmonitor.model.BertConfig;
import com.emotionmonitor.model.EncoderVariant;
import com.emotionmonitor.model.OfflineDefaults;
import com.emotionmonitor.text.TokenizerVariant;
import com.emotionmonitor.train.DistillCheckpoint;
import com.emotionmonitor.train.FineTuneConfig;
import com.emotionmonitor.train.FineTuner;
import com.emotionmonitor.train.LabeledSet;
import com.emotionmonitor.train.StartWeights;
import com.emotionmonitor.train.StartingPoint;
import com.emotionmonitor.train.hf.HfImporter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistillerTest {

    static {
        OfflineDefaults.apply();
    }

    private static DistillConfig config(Path work, int totalSteps, int maxSteps, float dropout) {
        return new DistillConfig(null, 0, BertConfig.of(ToyTeacher.VOCAB.size(), 1, 32, 2), 2f, 5e-3f, 2, totalSteps, maxSteps,
                0, 2, 512, 8, dropout, 0.01f, 7L, "cpu", work, 5);
    }

    private static TeacherLabels labels(Path dir) throws Exception {
        return TeacherLabels.loadOrCompute(dir.resolve("labels.bin"), ToyTeacher.teacher("sha-a"), ToyTeacher.TEXTS, n -> {});
    }

    @Test
    void theStudentsDistributionMovesTowardsTheTeachers(@TempDir Path dir) throws Exception {
        Distiller.Result r = new Distiller(config(dir.resolve("work"), 80, 0, 0.1f))
                .run(ToyTeacher.TEXTS, ToyTeacher.VOCAB, labels(dir), false, s -> {});
        assertEquals(80, r.state().step());
        assertTrue(r.klAfter() < 0.5 * r.klBefore(), "KL(teacher || student) " + r.klBefore() + " -> " + r.klAfter());
        assertTrue(Files.isRegularFile(r.checkpoint().resolve(DistillCheckpoint.STUDENT)));
    }

    @Test
    void aResumedRunEndsExactlyWhereAnUninterruptedOneDoes(@TempDir Path dir) throws Exception {
        TeacherLabels labels = labels(dir);
        // 36 posts in batches of 8: about five batches an epoch, so the 12 steps cross epochs, and the stop at 7 is mid-epoch.
        Distiller.Result straight = new Distiller(config(dir.resolve("a"), 12, 0, 0f))
                .run(ToyTeacher.TEXTS, ToyTeacher.VOCAB, labels, false, s -> {});
        Distiller.Result first = new Distiller(config(dir.resolve("b"), 12, 7, 0f))
                .run(ToyTeacher.TEXTS, ToyTeacher.VOCAB, labels, false, s -> {});
        assertEquals(7, first.state().step());
        Distiller.Result resumed = new Distiller(config(dir.resolve("b"), 12, 0, 0f))
                .run(ToyTeacher.TEXTS, ToyTeacher.VOCAB, labels, true, s -> {});
        assertEquals(12, resumed.state().step());
        assertEquals(straight.state().epoch(), resumed.state().epoch());
        assertEquals(straight.state().batchCursor(), resumed.state().batchCursor());
        assertEquals(-1L, Files.mismatch(straight.checkpoint().resolve(DistillCheckpoint.STUDENT),
                resumed.checkpoint().resolve(DistillCheckpoint.STUDENT)), "the same weights, bit for bit");
        assertEquals(straight.klAfter(), resumed.klAfter(), 0.0);
    }

    @Test
    void theGoldLabelPhaseStartsFromTheWholeDistilledClassifier(@TempDir Path dir) throws Exception {
        Distiller.Result distilled = new Distiller(config(dir.resolve("w"), 80, 0, 0f))
                .run(ToyTeacher.TEXTS, ToyTeacher.VOCAB, labels(dir), false, s -> {});
        StartingPoint start = StartingPoint.read(dir.resolve("w"));
        assertTrue(start.wholeClassifier(), "a distillation checkpoint starts the classifier, head included");
        assertEquals(distilled.state().architecture(), start.architecture());
        // The work directory is not kept, so what is published from it records the student's own history.
        assertEquals("distillation-checkpoint", start.provenance().get("kind"));
        assertEquals(distilled.state().teacherId(), ((Map<?, ?>) start.provenance().get("state")).get("teacherId"));
        assertEquals(distilled.state().step(), ((Map<?, ?>) start.provenance().get("state")).get("step"));
        // One fine-tuning step at a tiny rate: the student's knowledge carries over (a fresh head would be near chance).
        LabeledSet gold = LabeledSet.of("canned", CannedPosts.POSTS, ToyTeacher.PIPELINE, true);
        FineTuner.Result r = new FineTuner(new FineTuneConfig(dir.resolve("w"), null, 1, 1e-6f, 0f, 0f, 0f, 512, 64, "none", 0,
                0, 7L, "cpu", dir.resolve("ft"))).run(ToyTeacher.VOCAB, gold, gold, List.of(gold));
        assertTrue(r.reports().get("canned").accuracy() > 0.8, "accuracy " + r.reports().get("canned").accuracy());
    }

    @Test
    void aStudentCanStartFromAWholeClassifierHeadIncluded(@TempDir Path dir) throws Exception {
        // E.g. a classifier trained on an intermediate task, then distilled; here another distillation's student.
        Distiller.Result first = new Distiller(config(dir.resolve("w1"), 80, 0, 0f))
                .run(ToyTeacher.TEXTS, ToyTeacher.VOCAB, labels(dir), false, s -> {});
        DistillConfig fromFirst = new DistillConfig(dir.resolve("w1"), 0, null, 2f, 5e-3f, 0, 1, 1, 0, 2, 512, 8, 0f, 0.01f, 7L,
                "cpu", dir.resolve("w2"), 5);
        Distiller.Result second = new Distiller(fromFirst).run(ToyTeacher.TEXTS, ToyTeacher.VOCAB, labels(dir), false, s -> {});
        assertEquals(first.klAfter(), second.klBefore(), 1e-4, "the second student starts where the first ended, head included");
        assertEquals(first.state().architecture(), second.state().architecture());
    }

    @Test
    void aShallowerStudentStartsFromTheLowerLayersOfADeeperOne(@TempDir Path dir) throws Exception {
        DistillConfig deep = new DistillConfig(null, 0, BertConfig.of(ToyTeacher.VOCAB.size(), 2, 32, 2), 2f, 5e-3f, 2, 20, 0,
                0, 0, 512, 8, 0f, 0.01f, 7L, "cpu", dir.resolve("deep"), 5);
        new Distiller(deep).run(ToyTeacher.TEXTS, ToyTeacher.VOCAB, labels(dir), false, s -> {});
        StartingPoint full = StartingPoint.read(dir.resolve("deep"));
        StartingPoint cut = full.withLowerLayers(1);
        assertEquals(1, cut.architecture().layers());
        assertEquals(2, cut.storedArchitecture().layers());
        assertEquals("1 of 2", cut.provenance().get("kept_layers"));

        Map<String, float[]> stored = StartWeights.of(full);
        Map<String, float[]> kept = StartWeights.of(cut);
        assertEquals(stored.size() - StartWeights.inLayer(stored, "layer1"), kept.size(), "all but the upper layer");
        kept.forEach((path, values) -> assertTrue(Arrays.equals(stored.get(path), values), path + " is the stored one"));
        assertTrue(kept.containsKey("encoder_layer0_qkv_weight") && !kept.containsKey("encoder_layer1_qkv_weight"));
        assertTrue(kept.keySet().stream().anyMatch(k -> k.startsWith("encoder_finalNorm")), "the pre-LN final norm is kept");
        assertTrue(kept.keySet().stream().anyMatch(k -> k.startsWith("output_")), "the head comes with a whole classifier");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> full.withLowerLayers(3));
        assertTrue(e.getMessage().contains("has 2 layers"), e.getMessage());

        // A distillation started that way trains the one-layer student, and its state says what it was cut from.
        DistillConfig shallow = new DistillConfig(dir.resolve("deep"), 1, null, 2f, 5e-3f, 0, 2, 0, 0, 0, 512, 8, 0f, 0.01f, 7L,
                "cpu", dir.resolve("shallow"), 5);
        Distiller.Result r = new Distiller(shallow).run(ToyTeacher.TEXTS, ToyTeacher.VOCAB, labels(dir), false, s -> {});
        assertEquals(1, r.state().architecture().layers());
        assertTrue(r.state().parent().endsWith("(lower 1 of 2 layers)"), r.state().parent());
        assertThrows(IllegalArgumentException.class, () -> new DistillConfig(null, 1, BertConfig.of(ToyTeacher.VOCAB.size(), 1,
                32, 2), 2f, 5e-3f, 0, 2, 0, 0, 0, 512, 8, 0f, 0.01f, 7L, "cpu", dir.resolve("x"), 5), "--keep-layers needs a start");
    }

    @Test
    void aStudentImportedFromHuggingFaceReadsTheCorpusWithItsOwnTokenizer(@TempDir Path dir) throws Exception {
        // E.g. the served bge-small-zh fine-tune as its own student (self-distillation over the unlabelled corpus).
        Path checkpoint = Path.of(DistillerTest.class.getResource("/com/emotionmonitor/train/hf/hf-parity/encoder/config.json")
                .toURI()).getParent();
        Path encoder = HfImporter.importTo(new HfImporter.Request(checkpoint, "hf-mlm", "1", null, null, 0, null, "test", null,
                null, List.of(), 0), dir.resolve("store")).staged();
        Distiller distiller = new Distiller(new DistillConfig(encoder, 0, null, 2f, 5e-3f, 2, 40, 0, 0, 0, 512, 8, 0f, 0.01f,
                7L, "cpu", dir.resolve("w"), 5));
        Distiller.Result r = distiller.run(ToyTeacher.TEXTS, distiller.startingPoint().vocabulary(), labels(dir), false, s -> {});
        assertEquals(TokenizerVariant.HF_BERT_BASIC, r.state().tokenizer());
        assertTrue(r.klAfter() < r.klBefore(), "KL(teacher || student) " + r.klBefore() + " -> " + r.klAfter());
        // The gold phase (and the classifier it publishes) reads posts as the student did.
        StartingPoint student = StartingPoint.read(dir.resolve("w"));
        assertEquals(TokenizerVariant.HF_BERT_BASIC, student.tokenizer());
        assertEquals(EncoderVariant.BERT_POST_LN, student.architecture().variant());

        // A state written before the field existed names no tokenizer: it was ours.
        Path state = r.checkpoint().resolve(DistillCheckpoint.STATE);
        ObjectMapper json = new ObjectMapper();
        ObjectNode node = (ObjectNode) json.readTree(state.toFile());
        assertEquals("hf-bert-basic", node.remove("tokenizer").asText());
        json.writeValue(state.toFile(), node);
        assertEquals(TokenizerVariant.EMOTION_BERT_CHINESE, DistillCheckpoint.read(dir.resolve("w")).state().tokenizer());
    }

    @Test
    void aCheckpointOfAnotherTeacherIsNotResumed(@TempDir Path dir) throws Exception {
        new Distiller(config(dir.resolve("w"), 4, 2, 0f)).run(ToyTeacher.TEXTS, ToyTeacher.VOCAB, labels(dir), false, s -> {});
        TeacherLabels other = TeacherLabels.loadOrCompute(dir.resolve("other.bin"), ToyTeacher.teacher("sha-b"), ToyTeacher.TEXTS, n -> {});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Distiller(config(dir.resolve("w"), 4, 0, 0f)).run(ToyTeacher.TEXTS, ToyTeacher.VOCAB, other, true, s -> {}));
        assertTrue(e.getMessage().contains("cannot resume"), e.getMessage());
    }
}
