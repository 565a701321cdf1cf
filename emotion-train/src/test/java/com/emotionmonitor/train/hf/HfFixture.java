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

    static List<Post> posts() {
        List<Post> out = new ArrayList<>();
        for (JsonNode p : expected().get("posts")) {
            int[] ids = new int[p.get("ids").size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = p.get("ids").get(i).asInt();
            }
            float[] logits = new float[p.get("logits").size()];
            for (int i = 0; i < logits.length; i++) {
                logits[i] = (float) p.get("logits").get(i).asDouble();
            }
            out.add(new Post(p.get("text").asText(), ids, logits));
        }
        return out;
    }

    /** A writable copy of a fixture checkpoint directory. */
    static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }
}
