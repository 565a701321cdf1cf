package com.emotionmonitor.text;

/**
 * How {@link WeiboTextCleaner} departs from the reference, if at all.
 *
 * @param fixLossyCharTable keep standard simplified characters that the reference CharTable wrongly rewrites
 *     (猛→勐, 乾→干, 拾→十, 幺→么, 後→后, 於→于 ..., see {@code CharTableNormalizer.LOSSY_SOURCES}). Off in the
 *     reference; turning it on changes the output for posts containing them, hence
 *     {@link Preprocessing#VERSION_LOSSLESS_CHARS}, and a model must be trained with it on to be served with it on.
 */
public record CleanerOptions(boolean fixLossyCharTable) {

    /** Byte-for-byte parity with the reference files. */
    public static final CleanerOptions REFERENCE = new CleanerOptions(false);

    /** The reference rules with the lossy CharTable mappings fixed. */
    public static final CleanerOptions LOSSLESS_CHARS = new CleanerOptions(true);

    public String preprocessingVersion() {
        return Preprocessing.version(this);
    }
}
