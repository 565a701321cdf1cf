package com.emotionmonitor.train.hf;

import com.emotionmonitor.text.Vocabulary;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A {@code tokenizer.json} as Hugging Face's {@code tokenizers} writes it, read for what a BERT import needs: the
 * WordPiece vocabulary in id order (where a checkpoint ships no vocab.txt, as ONNX exports often do) and the
 * normalizer's casing.
 */
final class TokenizerJson {

    /** The name of an id no token maps to. */
    static final String UNREACHABLE = "[unreachable-id-";

    private TokenizerJson() {}

    /** The WordPiece vocabulary, token i at id i; anything but a WordPiece model with unique ids is refused by name. */
    static Vocabulary wordPiece(Path file) throws IOException {
        JsonNode model = HfBertCheckpoint.json(file, true).path("model");
        if (!model.path("type").asText("").equals("WordPiece")) {
            throw new IllegalArgumentException(file + ": model.type is '" + model.path("type").asText("") + "', not BERT's "
                    + "WordPiece");
        }
        String prefix = model.path("continuing_subword_prefix").asText("##");
        if (!prefix.equals("##")) {
            throw new IllegalArgumentException(file + ": continuing_subword_prefix '" + prefix + "' is not BERT's ##");
        }
        JsonNode vocab = model.path("vocab");
        if (vocab.size() == 0) {
            throw new IllegalArgumentException(file + ": model.vocab is empty");
        }
        int size = 0;
        for (JsonNode id : vocab) {
            size = Math.max(size, id.asInt(-1) + 1);
        }
        if (size > 2 * vocab.size() + 1000) {
            throw new IllegalArgumentException(file + ": ids run to " + (size - 1) + " for " + vocab.size() + " tokens");
        }
        String[] tokens = new String[size];
        for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int id = e.getValue().asInt(-1);
            if (id < 0 || tokens[id] != null) {
                throw new IllegalArgumentException(file + ": token '" + e.getKey() + "' has id " + e.getValue()
                        + "; ids must be non-negative, each once");
            }
            tokens[id] = e.getKey();
        }
        // A vocab.txt that lists a token twice becomes a map with that token at its last id: the earlier id has no token,
        // and no text can produce it; its row stays, under a name no text contains.
        for (int i = 0; i < size; i++) {
            if (tokens[i] == null) {
                tokens[i] = UNREACHABLE + i + "]";
            }
        }
        try {
            return Vocabulary.of(new ArrayList<>(Arrays.asList(tokens)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** The BertNormalizer's {@code lowercase}, or null when the file has no BertNormalizer that says. */
    static Boolean lowercase(Path file) throws IOException {
        JsonNode n = HfBertCheckpoint.json(file, true).path("normalizer");
        List<JsonNode> candidates = new ArrayList<>();
        candidates.add(n);
        n.path("normalizers").forEach(candidates::add);
        for (JsonNode c : candidates) {
            if (c.path("type").asText("").equals("BertNormalizer") && c.path("lowercase").isBoolean()) {
                return c.path("lowercase").asBoolean();
            }
        }
        return null;
    }
}
