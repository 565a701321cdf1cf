package com.emotionmonitor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.store.ModelManifest;
import com.emotionmonitor.testkit.HfCheckpoints;
import com.emotionmonitor.text.TokenizerVariant;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/emotion model import-hf}, in-process through the real command tree, on the committed tiny checkpoints. */
class ModelImportHfCommandTest {

    @TempDir Path store;

    @Test
    void importsAClassifierThatPassesTheSmokeInferenceAndPrintsWhatItIs() throws Exception {
        CliRun run = CliRun.run(0, "model", "import-hf", HfCheckpoints.classifier().toString(), "--name", "hf-emotion",
                "--version", "1", "--model-store", store.toString());
        String[] lines = run.stdout().strip().split("\n");
        JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertEquals("classifier", json.get("kind").asText());
        assertEquals("BertForSequenceClassification", json.get("source_architecture").asText());
        assertEquals("L2-H32-A4-bert-post-ln", json.get("architecture").asText());
        assertEquals("hf-bert-basic", json.get("tokenizer").asText());
        assertEquals("model.safetensors", json.get("weights_read").asText());
        ModelManifest m = ArtifactFiles.verify(store.resolve("hf-emotion").resolve("1"));
        assertEquals(TokenizerVariant.HF_BERT_BASIC, m.tokenizer());
        assertTrue(m.training().get("command").toString().startsWith("bin/emotion model import-hf "), m.training().toString());

        CliRun again = CliRun.run(2, "model", "import-hf", HfCheckpoints.classifier().toString(), "--name", "hf-emotion",
                "--version", "1", "--model-store", store.toString());
        assertTrue(again.stderr().contains("already exists"), again.stderr());
    }

    @Test
    void importsAnEncoderAsAPretrainedEncoder() throws Exception {
        CliRun run = CliRun.run(0, "model", "import-hf", HfCheckpoints.encoder().toString(), "--name", "hf-mlm", "--version",
                "1", "--model-store", store.toString(), "--weights", "f16");
        assertTrue(run.stdout().contains("\"kind\":\"pretrained-encoder\""), run.stdout());
        assertTrue(run.stdout().contains("cls.seq_relationship.weight"), "dropped heads are listed: " + run.stdout());
        assertEquals(ModelManifest.PRETRAINED_ENCODER, ArtifactFiles.verify(store.resolve("hf-mlm").resolve("1")).kind());
    }

    @Test
    void importsTensorFlowCheckpointsAndSaysWhatTheyLackInOneLine() throws Exception {
        CliRun run = CliRun.run(0, "model", "import-tf", HfCheckpoints.tensorFlow("classifier").toString(), "--name", "tf-emotion",
                "--version", "1", "--model-store", store.toString(), "--lower-case", "true", "--labels",
                "angry,fear,happy,neutral,sad,surprise");
        String[] lines = run.stdout().strip().split("\n");
        JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertEquals("classifier", json.get("kind").asText());
        assertEquals("TensorFlow checkpoint (run_classifier.py head)", json.get("source_architecture").asText());
        assertEquals("model.ckpt-120.index", json.get("weights_read").asText());
        assertTrue(json.get("tensors_not_imported").toString().contains("global_step"), json.toString());
        ModelManifest m = ArtifactFiles.verify(store.resolve("tf-emotion").resolve("1"));
        assertEquals("gelu-tanh", m.architecture().hiddenAct().id());

        CliRun noLabels = CliRun.run(2, "model", "import-hf", HfCheckpoints.tensorFlow("classifier").toString(), "--name",
                "tf-emotion", "--version", "2", "--model-store", store.toString(), "--lower-case", "true");
        assertTrue(noLabels.stderr().contains("give its output order with --labels"), noLabels.stderr());
        CliRun noHeads = CliRun.run(2, "model", "import-hf", HfCheckpoints.tensorFlow("savedmodel").toString(), "--name", "tf-mlm",
                "--version", "1", "--model-store", store.toString());
        assertTrue(noHeads.stderr().contains("give --heads"), noHeads.stderr());
        CliRun saved = CliRun.run(0, "model", "import-hf", HfCheckpoints.tensorFlow("savedmodel").toString(), "--name", "tf-mlm",
                "--version", "1", "--model-store", store.toString(), "--heads", "4");
        assertTrue(saved.stdout().contains("\"kind\":\"pretrained-encoder\""), saved.stdout());
        assertFalse(Files.exists(store.resolve("tf-emotion").resolve("2")));
    }

    @Test
    void aCheckpointThatCannotServeIsRefusedInOneLineAndNothingIsPublished(@TempDir Path ckpt) throws Exception {
        for (Path f : Files.list(HfCheckpoints.classifier()).toList()) {
            Files.copy(f, ckpt.resolve(f.getFileName()));
        }
        Files.writeString(ckpt.resolve("config.json"), Files.readString(ckpt.resolve("config.json"))
                .replace("\"BertForSequenceClassification\"", "\"BertForTokenClassification\""));
        CliRun run = CliRun.run(2, "model", "import-hf", ckpt.toString(), "--name", "hf-emotion", "--version", "2",
                "--model-store", store.toString());
        assertTrue(run.stderr().contains("BertForTokenClassification"), run.stderr());
        assertFalse(Files.exists(store.resolve("hf-emotion").resolve("2")));
    }
}
