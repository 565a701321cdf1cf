package com.emotionmonitor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.train.workflow.FineTuneWorkflow;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The option checks of {@code bin/emotion train finetune} that refuse a run before any data is read, and its sittings. */
class FineTuneCommandTest {

    @Test
    void selectionAndHoldOutSelectionAreExclusive(@TempDir Path dir) throws Exception {
        Path train = Files.writeString(dir.resolve("t.jsonl"), "{\"id\":1,\"content\":\"好\",\"label\":\"happy\"}\n");
        String err = CliRun.run(2, "train", "finetune", "--train", train.toString(), "--selection", train.toString(),
                "--select-on-holdout", train.toString()).stderr();
        assertTrue(err.contains("--selection or --select-on-holdout, not both"), err);
    }

    @Test
    void theHoldOutMustBeATrainingFile(@TempDir Path dir) throws Exception {
        Path train = Files.writeString(dir.resolve("t.jsonl"), "{\"id\":1,\"content\":\"好\",\"label\":\"happy\"}\n");
        Path other = Files.writeString(dir.resolve("o.jsonl"), "{\"id\":1,\"content\":\"好\",\"label\":\"happy\"}\n");
        String err = CliRun.run(2, "train", "finetune", "--train", train.toString(), "--select-on-holdout", other.toString())
                .stderr();
        assertTrue(err.contains("--select-on-holdout " + other + " is not one of the --train or --train-nlpcc files"), err);
    }

    @Test
    void aMissingExtraFileIsNamed(@TempDir Path dir) throws Exception {
        Path train = Files.writeString(dir.resolve("t.jsonl"), "{\"id\":1,\"content\":\"好\",\"label\":\"happy\"}\n");
        String err = CliRun.run(2, "train", "finetune", "--train", train.toString(), "--train-nlpcc",
                dir.resolve("absent.jsonl").toString()).stderr();
        assertTrue(err.contains("absent.jsonl"), err);
    }

    @Test
    void aRunStoppedAtMaxStepsContinuesWithResume(@TempDir Path dir) throws Exception {
        Path posts = com.emotionmonitor.data.SharedData.locate().resolve("smp2020-ewect/usual_train.jsonl");
        Path train = dir.resolve("train.jsonl");
        Files.write(train, Files.readAllLines(posts).subList(0, 40));
        String[] args = {"train", "finetune", "--train", train.toString(), "--selection", train.toString(), "--eval",
                train.toString(), "--layers", "1", "--hidden", "32", "--heads", "2", "--epochs", "2", "--max-batch", "8",
                "--work-dir", dir.resolve("work").toString()};
        String first = CliRun.run(0, concat(args, "--max-steps", "2")).stdout();
        assertTrue(first.contains("\"steps\":2,"), first);
        String second = CliRun.run(0, concat(args, "--resume")).stdout();
        assertTrue(second.contains("\"steps\":10,"), "40 posts in batches of 8 for 2 epochs, the first 2 steps resumed: " + second);
        String refused = CliRun.run(2, concat(args, "--resume", "--seed", "14")).stderr();
        assertTrue(refused.contains("the seed is 13, not 14"), refused);
    }

    @Test
    void withoutASelectionFlagTheStepIsChosenOnAHeldOutTenthOfEachTrainFileNotOnAnEvalFile(@TempDir Path dir) throws Exception {
        Path posts = com.emotionmonitor.data.SharedData.locate().resolve("smp2020-ewect/usual_train.jsonl");
        Path train = dir.resolve("train.jsonl");
        Files.write(train, Files.readAllLines(posts).subList(0, 200));
        Path eval = dir.resolve("eval.jsonl");
        Files.write(eval, Files.readAllLines(posts).subList(200, 240));
        String[] args = {"train", "finetune", "--train", train.toString(), "--train", train.toString(), "--eval", eval.toString(),
                "--layers", "1", "--hidden", "32", "--heads", "2", "--epochs", "1", "--max-batch", "8", "--max-steps", "1"};
        CliRun run = CliRun.run(0, concat(args, "--work-dir", dir.resolve("w1").toString()));
        // The same file twice (a domain weighted up) is held out once.
        assertTrue(run.stdout().contains("selection on train-holdout.jsonl: "), run.stdout());
        assertTrue(!run.stderr().contains("is also an --eval file"), run.stderr());

        String warned = CliRun.run(0, concat(args, "--selection", eval.toString(), "--work-dir", dir.resolve("w2").toString()))
                .stderr();
        assertTrue(warned.contains("--selection " + eval + " is also an --eval file"), warned);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void theHoldOutIsNamedAfterItsFile() {
        assertEquals("virus_train-holdout.jsonl", FineTuneWorkflow.holdOutName(Path.of("../shared/data/virus_train.jsonl")));
        assertEquals("posts-holdout.jsonl", FineTuneWorkflow.holdOutName(Path.of("posts")));
        assertEquals("weibo_emotion_mix_spianmo-holdout.jsonl",
                FineTuneWorkflow.holdOutName(Path.of("pretrain-extra/weibo_emotion_mix_spianmo.jsonl.gz")));
    }
}
