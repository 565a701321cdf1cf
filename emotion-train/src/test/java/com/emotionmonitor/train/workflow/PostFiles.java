package com.emotionmonitor.train.workflow;

import com.emotionmonitor.data.LabeledPost;
import com.emotionmonitor.text.PostPreprocessor;
import com.emotionmonitor.text.Vocabulary;
import com.emotionmonitor.text.VocabularyBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small labelled JSONL files, a vocabulary of their texts, and a captured progress stream for the workflow tests. */
final class PostFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PostFiles() {}

    /** Writes the posts as SMP2020-style JSONL (id, content, label). */
    static Path write(Path file, List<LabeledPost> posts) throws IOException {
        List<String> lines = new ArrayList<>();
        for (LabeledPost p : posts) {
            lines.add(JSON.writeValueAsString(Map.of("id", p.id(), "content", p.content(), "label", p.label())));
        }
        return Files.write(file, lines);
    }

    /** Every character of the posts' cleaned texts, as the tiny recipe builds its vocabulary. */
    static Vocabulary vocabulary(List<LabeledPost> posts) {
        VocabularyBuilder vb = new VocabularyBuilder();
        posts.forEach(p -> vb.add(PostPreprocessor.standard().prepare(p.content()).text()));
        return vb.build(1, 1000, 0);
    }

    /** A progress stream whose text can be read back. */
    static final class Captured {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
