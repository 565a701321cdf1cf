package com.emotionmonitor.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * BERT-Chinese tokenization in plain Java: the BasicTokenizer (clean, lower-case, strip accents, one token
 * per CJK character, split on punctuation) followed by greedy longest-match WordPiece, framed as
 * {@code [CLS] ... [SEP]}. Output is unpadded; batches pad to their longest member.
 *
 * <p>One deliberate extension: symbols (Unicode So/Sk, e.g. emoji such as 😂) are split one per token
 * like CJK characters, so a run of emoji becomes several known tokens rather than one [UNK] word. With
 * a standard bert-base-chinese vocabulary this changes nothing for text without symbols.
 *
 * <p>Thread-safe and allocation-light: the hot path is a code point loop with a BMP lookup table.
 */
public final class BertChineseTokenizer implements WordPieceTokenizer {

    private final Vocabulary vocab;
    private final int maxTokens;
    private final java.util.function.ToIntFunction<String> pieceIds;

    /**
     * @param maxTokens the cap including [CLS] and [SEP] (142 for 140-character posts)
     */
    public BertChineseTokenizer(Vocabulary vocab, int maxTokens) {
        if (maxTokens < 2) {
            throw new IllegalArgumentException("maxTokens must leave room for [CLS] and [SEP]: " + maxTokens);
        }
        this.vocab = vocab;
        this.maxTokens = maxTokens;
        this.pieceIds = vocab::idOf;
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
        return TokenizerVariant.EMOTION_BERT_CHINESE;
    }

    /** Token ids framed by [CLS] and [SEP], at most {@link #maxTokens()} of them. Null reads as empty. */
    @Override
    public Encoding encode(String text) {
        WordPiece.Frame frame = new WordPiece.Frame(maxTokens, vocab.clsId());
        split(text == null ? "" : text, frame);
        return frame.close(vocab.sepId());
    }

    /** The word pieces as strings, without [CLS]/[SEP] and without the length cap (for tests and tools). */
    @Override
    public List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        split(text == null ? "" : text, id -> out.add(vocab.token(id)));
        return out;
    }

    /** The BasicTokenizer loop: emits single-character tokens directly and word runs through WordPiece. */
    private void split(String text, WordPiece.Sink sink) {
        int len = text.length();
        int wordStart = -1;
        int i = 0;
        while (i < len) {
            int cp = text.codePointAt(i);
            int next = i + Character.charCount(cp);
            CharKind kind = kindOf(cp);
            if (kind == CharKind.WORD) {
                if (wordStart < 0) {
                    wordStart = i;
                }
            } else {
                if (wordStart >= 0) {
                    if (!wordPiece(text.substring(wordStart, i), sink)) {
                        return;
                    }
                    wordStart = -1;
                }
                if (kind == CharKind.SINGLE) {
                    int lower = Character.toLowerCase(cp);
                    int id = vocab.idOfCodePoint(lower);
                    if (!sink.accept(id >= 0 ? id : vocab.unkId())) {
                        return;
                    }
                }
                // SPACE and DROP emit nothing.
            }
            i = next;
        }
        if (wordStart >= 0) {
            wordPiece(text.substring(wordStart), sink);
        }
    }

    enum CharKind {
        /** Part of a Latin/digit/other-script word: goes through WordPiece. */
        WORD,
        /** CJK character, punctuation or symbol: a token of its own. */
        SINGLE,
        /** Whitespace: ends a word. */
        SPACE,
        /** NUL, U+FFFD, control and format characters: removed (BERT's _clean_text). */
        DROP
    }

    static CharKind kindOf(int cp) {
        if (cp < 128) {
            if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') {
                return CharKind.SPACE;
            }
            if (cp < 32 || cp == 127) {
                return CharKind.DROP;
            }
            if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
                return CharKind.SINGLE;
            }
            return CharKind.WORD;
        }
        if (isCjk(cp)) {
            return CharKind.SINGLE;
        }
        if (cp == 0xFFFD) {
            return CharKind.DROP;
        }
        if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
            return CharKind.SPACE;
        }
        switch (Character.getType(cp)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.SURROGATE: // an unpaired surrogate: never a valid token
            case Character.PRIVATE_USE:
            case Character.UNASSIGNED:
                return CharKind.DROP;
            case Character.CONNECTOR_PUNCTUATION:
            case Character.DASH_PUNCTUATION:
            case Character.START_PUNCTUATION:
            case Character.END_PUNCTUATION:
            case Character.INITIAL_QUOTE_PUNCTUATION:
            case Character.FINAL_QUOTE_PUNCTUATION:
            case Character.OTHER_PUNCTUATION:
            case Character.OTHER_SYMBOL:
            case Character.MODIFIER_SYMBOL:
            case Character.MATH_SYMBOL:
            case Character.CURRENCY_SYMBOL:
                return CharKind.SINGLE;
            default:
                return CharKind.WORD;
        }
    }

    /** The CJK Unified Ideograph blocks BERT's tokenizer treats as one token per character. */
    static boolean isCjk(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF)
                || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B820 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    /** WordPiece over the word lower-cased and accent-stripped. */
    private boolean wordPiece(String word, WordPiece.Sink sink) {
        return WordPiece.split(normalizeWord(word), pieceIds, vocab.unkId(), sink);
    }

    /** Lower-case and strip accents (NFD minus combining marks), as BERT's do_lower_case does. */
    static String normalizeWord(String word) {
        boolean ascii = true;
        for (int i = 0; i < word.length(); i++) {
            if (word.charAt(i) >= 128) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return word.toLowerCase(java.util.Locale.ROOT);
        }
        String nfd = Normalizer.normalize(word.toLowerCase(java.util.Locale.ROOT), Normalizer.Form.NFD);
        StringBuilder sb = new StringBuilder(nfd.length());
        nfd.codePoints()
                .filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK)
                .forEach(sb::appendCodePoint);
        return sb.toString();
    }
}
