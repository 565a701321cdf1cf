package com.emotionmonitor.train.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The committed PyTorch fixture (hf-parity/: make_fixture.py and what it wrote) and copies of it to break. */
final class HfFixture {

    /** One post: its text, the ids the Python BertTokenizer port gave, PyTorch's logits in the checkpoint's order. */
    record Post(String text, int[] ids, float[] logits) {}

    private HfFixture() {}

    static Path root() {
        try {
            return Path.of(HfFixture.class.getResource("hf-parity/expected.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path classifier() {
        return root().resolve("classifier");
    }

    static Path encoder() {
        return root().resolve("encoder");
    }

    static JsonNode expected() {
        try {
            return new ObjectMapper().readTree(root().resolve("expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int maxLength() {
        return expected().get("max_length").asInt();
    }

    /** The TensorFlow-format fixture (tf-parity/: the same weights, written by TensorFlow; see its README). */
    static Path tensorFlow(String layout) {
        return root().resolveSibling("tf-parity").resolve(layout);
    }

    static List<Post> posts() {
        return posts("logits");
    }

    /** The posts with the logits of one field: {@code logits} (exact GELU) or {@code logits_gelu_tanh} (Google's). */
    static List<Post> posts(String logitsField) {
        List<Post> out = new ArrayList<>();
        for (JsonNode p : expected().get("posts")) {
            int[] ids = new int[p.get("ids").size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = p.get("ids").get(i).asInt();
            }
            float[] logits = new float[p.get(logitsField).size()];
            for (int i = 0; i < logits.length; i++) {
                logits[i] = (float) p.get(logitsField).get(i).asDouble();
            }
            out.add(new Post(p.get("text").asText(), ids, logits));
        }
        return out;
    }

    /** A writable copy of a fixture checkpoint directory (with its subdirectories: a SavedModel has some). */
    static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        return to;
    }
}
