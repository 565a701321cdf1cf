package com.emotionmonitor.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Hugging Face's BERT tokenization in plain Java, id for id: what {@code BertTokenizerFast} (the Rust
 * {@code tokenizers} library: BertNormalizer, BertPreTokenizer, WordPiece, BertProcessing) and the slow
 * {@code BertTokenizer} give a checkpoint's vocabulary, so an imported model sees the ids it was trained on.
 * <ol>
 *   <li>the special tokens ([PAD], [UNK], [CLS], [SEP], [MASK]) written literally in the text are those tokens;</li>
 *   <li>clean: drop NUL, U+FFFD and control/format/unassigned/private-use characters, whitespace becomes a space;</li>
 *   <li>CJK ideographs are split off as words of their own;</li>
 *   <li>lower-casing variant only: NFD minus non-spacing marks (accents), then lower-case;</li>
 *   <li>split on whitespace and around each punctuation character (Unicode P*, and ASCII symbols such as $+<=>^`|~);</li>
 *   <li>greedy longest-match WordPiece per word ({@code ##} continuations), [UNK] for a word it cannot cover or longer
 *       than 100 characters.</li>
 * </ol>
 * Unlike {@link BertChineseTokenizer}, symbols outside ASCII (emoji, ★) are word characters: a run of emoji is one
 * word, which WordPiece covers with {@code ##} pieces or makes one [UNK], as bert-base-chinese's tokenizer does.
 * A token listed twice in vocab.txt has its last line's id, as Hugging Face's vocab loaders read it.
 * {@code HfBertTokenizerParityTest} checks it against the Rust library on every post of usual_train and virus_train.
 */
public final class HfBertTokenizer implements WordPieceTokenizer {

    private final Vocabulary vocab;
    private final int maxTokens;
    private final boolean lowercase;
    /** A token listed twice has its last line's id, as Hugging Face reads vocab.txt. */
    private final java.util.function.ToIntFunction<String> pieceIds;
    /** The special tokens matched in raw text, with their ids. */
    private final String[] specials;
    private final int[] specialIds;

    /**
     * @param maxTokens the cap including [CLS] and [SEP]
     * @param lowercase {@code do_lower_case}: lower-case and strip accents (true), or neither (false)
     */
    public HfBertTokenizer(Vocabulary vocab, int maxTokens, boolean lowercase) {
        if (maxTokens < 2) {
            throw new IllegalArgumentException("maxTokens must leave room for [CLS] and [SEP]: " + maxTokens);
        }
        this.vocab = vocab;
        this.maxTokens = maxTokens;
        this.lowercase = lowercase;
        this.pieceIds = vocab::lastIdOf;
        this.specials = Vocabulary.SPECIALS.toArray(new String[0]);
        this.specialIds = new int[specials.length];
        for (int i = 0; i < specials.length; i++) {
            specialIds[i] = vocab.lastIdOf(specials[i]);
        }
    }

    @Override
    public Vocabulary vocabulary() {
        return vocab;
    }

    @Override
    public int maxTokens() {
        return maxTokens;
    }

    @Override
    public TokenizerVariant variant() {
        return lowercase ? TokenizerVariant.HF_BERT_BASIC : TokenizerVariant.HF_BERT_BASIC_CASED;
    }

    @Override
    public Encoding encode(String text) {
        WordPiece.Frame frame = new WordPiece.Frame(maxTokens, vocab.clsId());
        split(text == null ? "" : text, frame);
        return frame.close(vocab.sepId());
    }

    @Override
    public List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        split(text == null ? "" : text, id -> out.add(vocab.token(id)));
        return out;
    }

    /** Step 1: literal special tokens split the text; what lies between them is tokenized normally. */
    private void split(String text, WordPiece.Sink sink) {
        int start = 0;
        for (int i = text.indexOf('['); i >= 0; i = text.indexOf('[', i + 1)) {
            for (int s = 0; s < specials.length; s++) {
                if (text.startsWith(specials[s], i)) {
                    if (!segment(text.substring(start, i), sink) || !sink.accept(specialIds[s])) {
                        return;
                    }
                    start = i + specials[s].length();
                    i = start - 1;
                    break;
                }
            }
        }
        segment(start == 0 ? text : text.substring(start), sink);
    }

    /** Steps 2-6 on text without special tokens. */
    private boolean segment(String text, WordPiece.Sink sink) {
        if (text.isEmpty()) {
            return true;
        }
        String normalized = normalize(text);
        int len = normalized.length();
        int wordStart = -1;
        int i = 0;
        while (i < len) {
            int cp = normalized.codePointAt(i);
            int next = i + Character.charCount(cp);
            boolean space = isWhitespace(cp);
            boolean punct = !space && isPunctuation(cp);
            if (space || punct) {
                if (wordStart >= 0) {
                    if (!wordPiece(normalized.substring(wordStart, i), sink)) {
                        return false;
                    }
                    wordStart = -1;
                }
                if (punct && !wordPiece(normalized.substring(i, next), sink)) {
                    return false;
                }
            } else if (wordStart < 0) {
                wordStart = i;
            }
            i = next;
        }
        return wordStart < 0 || wordPiece(normalized.substring(wordStart), sink);
    }

    /** BertNormalizer: clean text, pad CJK ideographs with spaces, then (lower-casing variant) strip accents and lower-case. */
    String normalize(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        boolean ascii = true;
        int len = text.length();
        for (int i = 0; i < len; ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                continue;
            }
            if (isWhitespace(cp)) {
                sb.append(' ');
            } else if (isChineseChar(cp)) {
                sb.append(' ').appendCodePoint(cp).append(' ');
                ascii = false;
            } else {
                sb.appendCodePoint(cp);
                ascii &= cp < 128;
            }
        }
        if (!lowercase) {
            return sb.toString();
        }
        if (ascii) {
            for (int i = 0; i < sb.length(); i++) {
                char c = sb.charAt(i);
                if (c >= 'A' && c <= 'Z') {
                    sb.setCharAt(i, (char) (c + 32));
                }
            }
            return sb.toString();
        }
        // Accents first (NFD, drop Mn), then lower-case each code point on its own (no context rules such as the
        // Greek final sigma): the Rust normalizer's order and mapping.
        String nfd = Normalizer.normalize(sb, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(nfd.length());
        for (int i = 0; i < nfd.length(); ) {
            int cp = nfd.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.getType(cp) != Character.NON_SPACING_MARK) {
                appendLowerCase(out, cp);
            }
        }
        return out.toString();
    }

    /** Full lower-case mapping of one code point: only U+0130 maps to two (i + combining dot above). */
    private static void appendLowerCase(StringBuilder out, int cp) {
        if (cp == 0x130) {
            out.append("i\u0307");
        } else {
            out.appendCodePoint(Character.toLowerCase(cp));
        }
    }

    /** Tab, newline and carriage return are whitespace; every other C* character (and a lone surrogate) is dropped. */
    static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.UNASSIGNED, Character.PRIVATE_USE, Character.SURROGATE -> true;
            default -> false;
        };
    }

    /** Unicode White_Space, as Rust's {@code char::is_whitespace}. */
    static boolean isWhitespace(int cp) {
        return (cp >= 9 && cp <= 13) || cp == 0x85 || Character.isSpaceChar(cp);
    }

    /** ASCII punctuation and symbols, or any Unicode P* character (BertPreTokenizer's rule). */
    static boolean isPunctuation(int cp) {
        if (cp < 128) {
            return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126);
        }
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /** The CJK blocks the tokenizers library's BertNormalizer splits off (its Extension E+ range starts at U+2B920). */
    static boolean isChineseChar(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF)
                || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B920 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    private boolean wordPiece(String w, WordPiece.Sink sink) {
        return WordPiece.split(w, pieceIds, vocab.unkId(), sink);
    }
}
