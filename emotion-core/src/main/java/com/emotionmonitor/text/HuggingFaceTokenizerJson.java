package com.emotionmonitor.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes the {@code tokenizer.json} of a BERT WordPiece tokenizer for a {@code vocab.txt}, the form DJL's
 * HuggingFace tokenizers need (they do not read vocab.txt): BertNormalizer (clean text, Chinese characters
 * split, lower-case, strip accents), BertPreTokenizer, WordPiece with {@code ##}, and [CLS]/[SEP] framing.
 * Used to measure our plain-Java tokenizer against the Rust one on the same vocabulary.
 */
public final class HuggingFaceTokenizerJson {

    private HuggingFaceTokenizerJson() {}

    /** The lower-casing tokenizer (BertTokenizer's default {@code do_lower_case=True}). */
    public static void write(Vocabulary vocab, Path tokenizerJson) throws IOException {
        write(vocab, tokenizerJson, true);
    }

    /** @param lowercase {@code do_lower_case}: lower-case and strip accents, or neither */
    public static void write(Vocabulary vocab, Path tokenizerJson, boolean lowercase) throws IOException {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String special : Vocabulary.SPECIALS) {
            ObjectNode t = added.addObject();
            t.put("id", vocab.idOf(special));
            t.put("content", special);
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        }
        ObjectNode normalizer = root.putObject("normalizer");
        normalizer.put("type", "BertNormalizer");
        normalizer.put("clean_text", true);
        normalizer.put("handle_chinese_chars", true);
        normalizer.putNull("strip_accents"); // null: follow lowercase, as BertTokenizerFast writes it
        normalizer.put("lowercase", lowercase);
        root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "BertProcessing");
        post.putArray("sep").add(Vocabulary.SEP).add(vocab.sepId());
        post.putArray("cls").add(Vocabulary.CLS).add(vocab.clsId());
        ObjectNode decoder = root.putObject("decoder");
        decoder.put("type", "WordPiece");
        decoder.put("prefix", "##");
        decoder.put("cleanup", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "WordPiece");
        model.put("unk_token", Vocabulary.UNK);
        model.put("continuing_subword_prefix", "##");
        model.put("max_input_chars_per_word", 100);
        ObjectNode v = model.putObject("vocab");
        for (int i = 0; i < vocab.size(); i++) {
            if (!v.has(vocab.token(i))) {
                v.put(vocab.token(i), i);
            }
        }
        m.writerWithDefaultPrettyPrinter().writeValue(tokenizerJson.toFile(), root);
    }
}
