package com.emotionmonitor.text;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A BERT {@code vocab.txt}: one token per line, the line number is the id. Works for our own
 * corpus-built vocabularies and for standard {@code bert-base-chinese} files ({@code [unused*]},
 * {@code ##} pieces, specials at 0/100-103).
 */
public final class Vocabulary {

    public static final String PAD = "[PAD]";
    public static final String UNK = "[UNK]";
    public static final String CLS = "[CLS]";
    public static final String SEP = "[SEP]";
    public static final String MASK = "[MASK]";
    public static final List<String> SPECIALS = List.of(PAD, UNK, CLS, SEP, MASK);

    private final String[] tokens;
    private final Map<String, Integer> ids;
    /** Tokens listed more than once, with their last line (empty for every vocabulary we build). */
    private final Map<String, Integer> lastIdsOfDuplicates = new HashMap<>();
    /** Fast path for single BMP characters (the vast majority of Chinese tokens): -1 when absent. */
    private final int[] bmpCharIds = new int[65536];

    private final int padId;
    private final int unkId;
    private final int clsId;
    private final int sepId;
    private final int maskId;

    private Vocabulary(String[] tokens) {
        this.tokens = tokens;
        this.ids = new HashMap<>(tokens.length * 2);
        Arrays.fill(bmpCharIds, -1);
        for (int i = 0; i < tokens.length; i++) {
            String t = tokens[i];
            // First occurrence wins here (ours, since the first vocabulary); Hugging Face's loaders keep the last, which
            // HfBertTokenizer follows through lastIdOf.
            Integer first = ids.putIfAbsent(t, i);
            if (first == null && t.length() == 1) {
                bmpCharIds[t.charAt(0)] = i;
            } else if (first != null) {
                lastIdsOfDuplicates.put(t, i);
            }
        }
        this.padId = required(PAD);
        this.unkId = required(UNK);
        this.clsId = required(CLS);
        this.sepId = required(SEP);
        this.maskId = required(MASK);
    }

    private int required(String special) {
        Integer id = ids.get(special);
        if (id == null) {
            throw new IllegalArgumentException("vocabulary has no " + special + " token: not a BERT vocab.txt");
        }
        return id;
    }

    public static Vocabulary of(List<String> tokens) {
        return new Vocabulary(tokens.toArray(new String[0]));
    }

    /** Loads a vocab.txt; the error names the path and the reason. */
    public static Vocabulary load(Path vocabTxt) {
        try {
            List<String> lines = Files.readAllLines(vocabTxt, StandardCharsets.UTF_8);
            // A trailing empty line is an artefact of the writer, not a token.
            while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1);
            }
            if (lines.isEmpty()) {
                throw new IllegalArgumentException("vocabulary file " + vocabTxt + " is empty");
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                // BERT vocab files may carry CRLF; a token never contains a line break.
                if (line.endsWith("\r")) {
                    lines.set(i, line.substring(0, line.length() - 1));
                }
            }
            return of(lines);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("vocabulary file " + vocabTxt + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read vocabulary file " + vocabTxt + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(vocabTxt + ": " + e.getMessage(), e);
        }
    }

    public void save(Path vocabTxt) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(vocabTxt, StandardCharsets.UTF_8)) {
            for (String t : tokens) {
                w.write(t);
                w.write('\n');
            }
        }
    }

    /** The id of a token, or -1. */
    public int idOf(String token) {
        Integer id = ids.get(token);
        return id == null ? -1 : id;
    }

    /** The id of a token as Hugging Face's vocab loaders see it (a token listed twice has its last line), or -1. */
    public int lastIdOf(String token) {
        if (!lastIdsOfDuplicates.isEmpty()) {
            Integer last = lastIdsOfDuplicates.get(token);
            if (last != null) {
                return last;
            }
        }
        return idOf(token);
    }

    /** The id of a single code point as a token, or -1. */
    public int idOfCodePoint(int codePoint) {
        if (codePoint < 65536) {
            return bmpCharIds[codePoint];
        }
        return idOf(new String(Character.toChars(codePoint)));
    }

    public boolean contains(String token) {
        return ids.containsKey(token);
    }

    public String token(int id) {
        return tokens[id];
    }

    public int size() {
        return tokens.length;
    }

    public int padId() {
        return padId;
    }

    public int unkId() {
        return unkId;
    }

    public int clsId() {
        return clsId;
    }

    public int sepId() {
        return sepId;
    }

    public int maskId() {
        return maskId;
    }

    /** True for [PAD], [CLS], [SEP], [MASK], [UNK] and [unused*]-style reserved tokens. */
    public boolean isSpecial(int id) {
        String t = tokens[id];
        return t.length() > 2 && t.charAt(0) == '[' && t.charAt(t.length() - 1) == ']';
    }
}
