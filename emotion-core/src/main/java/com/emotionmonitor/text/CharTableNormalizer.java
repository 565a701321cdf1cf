package com.emotionmonitor.text;

import com.hankcs.hanlp.dictionary.other.CharTable;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Step 1 of the reference cleaning: HanLP 1.x {@code CharTable}, one output UTF-16 unit per input unit (full-width to
 * half-width, upper to lower case, brackets to 《》, traditional to simplified, every whitespace to a space;
 * surrogates, hence emoji, pass through).
 *
 * <p>The table is HanLP's own, copied once and checked against the SHA-256 of the table that reproduces the
 * reference files: a different HanLP build (or a {@code data/dictionary/other/CharTable.txt.bin} lying in the working
 * directory, which HanLP prefers over its jar) fails loudly here instead of silently changing every cleaned post.
 */
final class CharTableNormalizer {

    /** SHA-256 of the 65,536 table entries as UTF-16BE, HanLP portable-1.8.6 (same as pyhanlp's data bundle). */
    static final String REFERENCE_TABLE_SHA256 = "c08d652a1f24315121ad632c9921cdf472968510fca22f1f367e8996031c6392";

    /**
     * Characters the reference table turns into a DIFFERENT character although they are standard simplified
     * characters in their own right (in GB 2312): 猛→勐, 乾→干, 拾→十, 幺→么, 後→后, 於→于, 徵→征, 糊→煳 ...,
     * plus kana and bopomofo mapped onto ideographs (と→之, ル→儿). Derived from the table by the rule "GB 2312 letter,
     * mapped to a different ideograph" (see CharTableNormalizerTest); the fixed mode keeps these unchanged.
     */
    static final String LOSSY_SOURCES =
            "乾佘僮劈吒呱唰嗬囗夥屙崧崾巛幺彡後徵怵拚拾摺於楱榘槁溜爿猛甯疒矽糊糸脊苎菸谘醣醯镟阪飚馀骼麽とふルㄖ";

    private static final char[] REFERENCE_TABLE = loadReferenceTable();
    private static final CharTableNormalizer REFERENCE = new CharTableNormalizer(REFERENCE_TABLE);
    private static final CharTableNormalizer LOSSLESS = new CharTableNormalizer(withIdentityFor(LOSSY_SOURCES));

    private final char[] table;

    private CharTableNormalizer(char[] table) {
        this.table = table;
    }

    static CharTableNormalizer reference() {
        return REFERENCE;
    }

    /** The reference table except that {@link #LOSSY_SOURCES} map to themselves. */
    static CharTableNormalizer withoutLossyMappings() {
        return LOSSLESS;
    }

    char map(char c) {
        return table[c];
    }

    String apply(String s) {
        int n = s.length();
        char[] out = null;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            char m = table[c];
            if (m != c && out == null) {
                out = new char[n];
                s.getChars(0, i, out, 0);
            }
            if (out != null) {
                out[i] = m;
            }
        }
        return out == null ? s : new String(out);
    }

    private static char[] withIdentityFor(String sources) {
        char[] copy = REFERENCE_TABLE.clone();
        for (int i = 0; i < sources.length(); i++) {
            char c = sources.charAt(i);
            copy[c] = c;
        }
        return copy;
    }

    private static char[] loadReferenceTable() {
        if (CharTable.class.getResource("/data/dictionary/other/CharTable.txt.bin") == null) {
            // HanLP calls System.exit(-1) when it cannot load the table: never let it get that far.
            throw new IllegalStateException("HanLP's CharTable.txt.bin is not on the classpath: use com.hankcs:hanlp:portable-1.8.6");
        }
        char[] table = CharTable.CONVERT.clone();
        String actual = sha256(table);
        if (table.length != Character.MAX_VALUE + 1 || !actual.equals(REFERENCE_TABLE_SHA256)) {
            throw new IllegalStateException("HanLP CharTable differs from the table the reference parity was verified with (sha256 "
                    + actual + ", expected " + REFERENCE_TABLE_SHA256 + "); cleaning output would silently change");
        }
        return table;
    }

    static String sha256(char[] table) {
        ByteBuffer bytes = ByteBuffer.allocate(table.length * 2);
        for (char c : table) {
            bytes.putChar(c);
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
