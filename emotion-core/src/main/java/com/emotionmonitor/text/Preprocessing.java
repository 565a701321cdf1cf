package com.emotionmonitor.text;

/**
 * Names and limits of the text preprocessing that training and serving share. A model manifest records
 * {@link WeiboTextCleaner#preprocessingVersion()}; a model is only ever served with the cleaning it was trained on.
 * Bump the versions whenever cleaning output changes for any input.
 */
public final class Preprocessing {

    /** The reference cleaning (byte-for-byte parity with the SMP2020-EWECT reference files). */
    public static final String VERSION = "weibo-clean-1";

    /** The reference cleaning with {@link CleanerOptions#fixLossyCharTable()} on: different output, different name. */
    public static final String VERSION_LOSSLESS_CHARS = VERSION + "+lossless-chars";

    /** Posts are truncated to this many code points AFTER cleaning (the model's max length is this + [CLS] + [SEP]). */
    public static final int MAX_CHARS = 140;

    private Preprocessing() {}

    /** The version string for a cleaner configured with {@code options}. */
    public static String version(CleanerOptions options) {
        return options.fixLossyCharTable() ? VERSION_LOSSLESS_CHARS : VERSION;
    }

    /**
     * The cleaner options a manifest's preprocessing version names, so a model is served with the cleaning it was
     * trained with.
     *
     * @throws IllegalArgumentException for a version this build cannot reproduce
     */
    public static CleanerOptions optionsFor(String version) {
        if (VERSION.equals(version)) {
            return CleanerOptions.REFERENCE;
        }
        if (VERSION_LOSSLESS_CHARS.equals(version)) {
            return CleanerOptions.LOSSLESS_CHARS;
        }
        throw new IllegalArgumentException("unknown preprocessing version '" + version + "': this build cleans with "
                + VERSION + " or " + VERSION_LOSSLESS_CHARS);
    }
}
