package com.emotionmonitor.train;

import com.emotionmonitor.text.PostPreprocessor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The masked-LM corpus: every TEXT in the shared data folder except the evaluation sets (SMP train sets,
 * weibo-extra, pretrain-extra), cleaned with the serving front end, de-duplicated across files (the
 * folders overlap: see their READMEs), and with any text equal to an evaluation text removed again as
 * a guard against contamination.
 */
public final class PretrainCorpus {

    private static final Logger LOG = LoggerFactory.getLogger(PretrainCorpus.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> texts;
    private final Map<String, Integer> rowsPerFile;
    private final List<Path> files;

    private PretrainCorpus(List<String> texts, Map<String, Integer> rowsPerFile, List<Path> files) {
        this.texts = texts;
        this.rowsPerFile = rowsPerFile;
        this.files = files;
    }

    /** The pretraining files under a data root ({@code ../shared/data}): everything but eval/test sets. */
    public static List<Path> discoverFiles(Path dataRoot) {
        if (!Files.isDirectory(dataRoot)) {
            throw new IllegalArgumentException("data folder " + dataRoot + " does not exist or is not a directory");
        }
        List<Path> out = new ArrayList<>();
        out.add(dataRoot.resolve("smp2020-ewect/usual_train.jsonl"));
        out.add(dataRoot.resolve("smp2020-ewect/virus_train.jsonl"));
        for (String folder : List.of("weibo-extra", "pretrain-extra")) {
            Path dir = dataRoot.resolve(folder);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    s.filter(p -> p.getFileName().toString().matches(".*\\.jsonl(\\.gz)?"))
                            .sorted()
                            .forEach(out::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        for (Path p : out) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("pretraining file " + p + " does not exist");
            }
            String name = p.getFileName().toString();
            boolean smp = p.getParent() != null && p.getParent().getFileName().toString().startsWith("smp2020");
            if (smp && (name.contains("eval") || name.contains("test"))) {
                throw new IllegalStateException("refusing evaluation data in the pretraining corpus: " + p);
            }
        }
        return out;
    }

    /** The SMP evaluation texts, whitespace-free, that must never be trained on. */
    public static Set<String> evaluationKeys(Path dataRoot) {
        Set<String> keys = new HashSet<>();
        for (String f : List.of("smp2020-ewect/usual_eval.jsonl", "smp2020-ewect/virus_eval.jsonl")) {
            Path p = dataRoot.resolve(f);
            if (Files.isRegularFile(p)) {
                forEachContent(p, c -> {
                    keys.add(key(c));
                    return true;
                });
            }
        }
        return keys;
    }

    /**
     * Reads, cleans (clean + 140-character truncation) and de-duplicates every file.
     *
     * @param limitPerFile at most this many rows from each file (0 = all): tiny configs for tests
     */
    public static PretrainCorpus load(Path dataRoot, PostPreprocessor preprocessor, int limitPerFile) {
        List<Path> files = discoverFiles(dataRoot);
        Set<String> evalKeys = evaluationKeys(dataRoot);
        Set<Long> seen = new HashSet<>();
        List<String> texts = new ArrayList<>();
        Map<String, Integer> perFile = new LinkedHashMap<>();
        int[] dropped = new int[3]; // empty, duplicate, eval
        for (Path file : files) {
            int before = texts.size();
            int[] read = {0};
            forEachContent(file, raw -> {
                read[0]++;
                String cleaned;
                if (evalKeys.contains(key(raw))) {
                    dropped[2]++;
                } else if ((cleaned = preprocessor.prepare(raw).text()).isEmpty()) {
                    dropped[0]++;
                } else if (!seen.add(hash64(key(cleaned)))) {
                    dropped[1]++;
                } else {
                    texts.add(cleaned);
                }
                return limitPerFile <= 0 || read[0] < limitPerFile; // a tiny test config stops reading early
            });
            perFile.put(file.getFileName().toString(), texts.size() - before);
            LOG.info("corpus: {} -> {} texts kept (running total {})", file.getFileName(), texts.size() - before, texts.size());
        }
        LOG.info("corpus: {} texts; dropped {} empty after cleaning, {} duplicates, {} equal to an eval text",
                texts.size(), dropped[0], dropped[1], dropped[2]);
        return new PretrainCorpus(texts, perFile, files);
    }

    public List<String> texts() {
        return texts;
    }

    public Map<String, Integer> rowsPerFile() {
        return rowsPerFile;
    }

    public List<Path> files() {
        return files;
    }

    /** Streams the {@code content} of every line of a .jsonl or .jsonl.gz file. */
    /** Feeds every row's content to {@code sink} until it returns false. */
    static void forEachContent(Path file, java.util.function.Predicate<String> sink) {
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            long n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (IOException e) {
                    throw new IllegalArgumentException(file + ":" + n + ": malformed JSON: " + e.getMessage(), e);
                }
                JsonNode content = node.get("content");
                if (content != null && content.isTextual() && !sink.test(content.asText())) {
                    return;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The comparison key of the data READMEs: the text with all whitespace deleted. */
    static String key(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        text.codePoints().filter(cp -> !Character.isWhitespace(cp) && !Character.isSpaceChar(cp)).forEach(sb::appendCodePoint);
        return sb.toString();
    }

    private static long hash64(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h ^ ((long) s.length() << 48);
    }
}
