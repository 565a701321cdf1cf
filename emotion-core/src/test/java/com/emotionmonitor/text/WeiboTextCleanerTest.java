package com.emotionmonitor.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One rule at a time, in the reference order, then bad input. Expected values follow CLEANING_REFERENCE.md. */
class WeiboTextCleanerTest {

    private static final WeiboTextCleaner CLEANER = WeiboTextCleaner.reference();

    private static String clean(String raw) {
        return CLEANER.clean(raw);
    }

    @Nested
    class CharTableStep {
        @Test
        void foldsCaseWidthAndPunctuation() {
            assertEquals("tinythief上wii了?!", clean("TinyThief上wii了？！"));
            assertEquals("ab1!,:;()%~", clean("ＡＢ１！，：；（）％～"));
        }

        @Test
        void turnsBracketsIntoDoubleAngleBracketsSoEmoticonTagsStay() {
            assertEquals("好《心》《允悲》", clean("好[心]【允悲】"));
        }

        @Test
        void keepsTheReferenceQuirks() {
            assertEquals("勐么十干", clean("猛幺拾乾"));
            assertEquals("\"引用\"", clean("「引用」"));
        }

        @Test
        void leavesEmojiAndOtherSupplementaryCharactersAlone() {
            assertEquals("开心😂👍🏻𠀀", clean("开心😂👍🏻𠀀"));
        }
    }

    @Test
    void removesZeroWidthCharactersAndTheirLiteralEscapes() {
        assertEquals("ab", clean("a\u200b\u200c\u200db"));
        assertEquals("ab", clean("a\\u200bb"));
        assertEquals("ab", clean("a\\u200Cb"), "CharTable lower-cases the escape first");
        assertEquals("a\\u200eb", clean("a\\u200eb"));
    }

    @Test
    void removesHtmlTagsButNotTheirText() {
        assertEquals("链接 说明", clean("<a href=\"x\">链接</a> <b>说明</b>"));
        assertEquals("1 < 2 <<", clean("1 < 2 <<"), "'<' then a space, or no '>' after it: no tag");
    }

    @Test
    void removesHarvestTextUrlsUpToTheFirstNonAsciiCharacter() {
        assertEquals("看这个好", clean("看这个http://t.cn/A6vO2n1Z好"));
        assertEquals("看", clean("看 https://weibo.com/x?a=1&b=2"));
    }

    @Test
    void removesEmails() {
        assertEquals("联系", clean("联系 someone.x@mail.example.com"));
        assertEquals("123", clean("a@b.com123"), "no boundary after the top-level domain");
    }

    @Nested
    class WeiboMentions {
        @Test
        void removesReplyRepostAndPlainMentionsWithOneSpace() {
            assertEquals("谢谢", clean("回复@张三:谢谢"));
            assertEquals("转 好 也好", clean("转//@A:好//@B:也好"));
            assertEquals("早 上好", clean("早 @李四 上好"));
            assertEquals("你好", clean("你好@王五"));
        }

        @Test
        void swallowsTextGluedToTheNameUpToTheNextSpaceOrColon() {
            assertEquals("谢谢", clean("@湖北省红十字基金会http://t.cn/x 谢谢"));
        }

        @Test
        void fullWidthAtSignIsAMentionToo() {
            assertEquals("好", clean("＠张三：好"));
        }
    }

    @Test
    void collapsesWhitespaceRunsAndStrips() {
        assertEquals("a b c", clean(" a \t\n b\u3000\u3000c \r\n"));
    }

    @Test
    void deletesTheStopTerm() {
        assertEquals("", clean("转发微博"));
        assertEquals("好文", clean("好文 转发微博http://t.cn/x"), "URL first, then the stop term, then the strip");
        assertEquals("好", clean("转发微博 好"));
    }

    @Nested
    class ScriptUrlPass {
        @Test
        void removesLeftoverSchemeFragmentsWithoutStripping() {
            assertEquals("a ", clean("a http://中国"), "Unicode \\w: CJK after :// goes up to the word boundary");
            assertEquals("《链接》://", clean("《链接》://"), "no word boundary after '//': kept");
        }

        @Test
        void stopsAtTheLastWordBoundaryOfTheRun() {
            assertEquals("x ...", clean("x ://abc..."), "gives back the trailing dots");
        }
    }

    @Test
    void keepsHashtags() {
        assertEquals("#武汉加油# 好", clean("＃武汉加油＃ 好"));
    }

    @Nested
    class BadInput {
        @Test
        void nullAndEmptyAreEmpty() {
            assertEquals("", clean(null));
            assertEquals("", clean(""));
        }

        @ParameterizedTest
        @ValueSource(strings = {" ", "\t\n\r", "\u3000\u00a0\u2028", "\u200b\u200b", "http://t.cn/A6vO2n1Z",
            "https://weibo.com/x?a=1 http://t.cn/y", "@张三", "回复@张三:", "//@a: //@b:", "<br/>", "x@y.com", "转发微博"})
        void postsWithNothingLeftBecomeEmpty(String raw) {
            assertEquals("", clean(raw));
        }

        @Test
        void unpairedSurrogatesPassThroughUnchanged() {
            assertEquals("a\ud83db\ude00c", clean("a\ud83db\ude00c"));
            assertEquals("\ud83d", clean("\ud83d"));
        }

        @Test
        void controlCharactersAreKeptOrMappedLikeTheReference() {
            assertEquals("a\u0000b\u0007c\u007f", clean("a\u0000b\u0007c\u007f"));
            assertEquals("a b", clean("a\u001cb"), "Java isWhitespace(FS): CharTable makes it a space");
            assertEquals("a\u0085b", clean(" a\u0085b\u0085"), "NEL is Python whitespace for strip, but CharTable keeps it");
        }

        @Test
        void mixedScriptsKeepTheirLetters() {
            // CharTable lower-cases ASCII only and simplifies 語.
            assertEquals("mix: Русский Ελληνικά 日本语のテキスト 한국어 عربي", clean("MIX: Русский Ελληνικά 日本語のテキスト 한국어 عربي"));
        }

        @Test
        void aMegabytePostOfEachPathologicalShapeFinishes() {
            // Shapes that make the reference patterns backtrack quadratically as java.util.regex; no timing assertion,
            // the build would hang instead.
            // Each shape repeated to 1 MB, with what it must come out as ("=" for unchanged).
            String[][] shapes = {
                {"<", "="}, {"</a", "="}, {" @", ""}, {"@", ""}, {"a", "="}, {"a.", "="}, {"http://", ""}, {"回复", "="},
                {"\\u200", "="}, {"#话题", "="}, {"😀", "="}, {"\ud800", "="}, {"转发微博", ""}, {"\u3000", ""},
                {"@a\u0085", null}, {"a.a@", null}, {"://", null}, {"x@y.", null}, {"://中", null}, {" ", ""}};
            for (String[] shape : shapes) {
                String post = shape[0].repeat(1_000_000 / shape[0].length());
                String cleaned = clean(post);
                if (shape[1] != null) {
                    assertEquals(shape[1].equals("=") ? post : shape[1], cleaned, "1 MB of " + shape[0]);
                }
                PreparedPost prepared = PostPreprocessor.standard().prepare(post); // topics and truncation too
                assertEquals(PythonText.isBlank(cleaned) ? "" : CodePointTruncator.truncate(cleaned, Preprocessing.MAX_CHARS),
                        prepared.text(), "1 MB of " + shape[0]);
            }
        }
    }

    @Nested
    class Options {
        @Test
        void referenceIsTheDefaultAndNamesItsVersion() {
            assertSame(WeiboTextCleaner.reference(), WeiboTextCleaner.reference());
            assertEquals(Preprocessing.VERSION, WeiboTextCleaner.reference().preprocessingVersion());
            assertEquals(CleanerOptions.REFERENCE, WeiboTextCleaner.reference().options());
        }

        @ParameterizedTest
        @CsvSource({"猛烈,勐烈,猛烈", "乾隆,干隆,乾隆", "收拾,收十,收拾", "幺蛾子,么蛾子,幺蛾子", "一塌糊涂,一塌煳涂,一塌糊涂",
            "劈叉,噼叉,劈叉", "脊梁,嵴梁,脊梁", "溜达,熘达,溜达", "ルール,儿ー儿,ルール"})
        void fixLossyCharTableKeepsStandardCharacters(String raw, String reference, String fixed) {
            WeiboTextCleaner lossless = new WeiboTextCleaner(CleanerOptions.LOSSLESS_CHARS);
            assertEquals(reference, clean(raw));
            assertEquals(fixed, lossless.clean(raw));
        }

        @Test
        void fixLossyCharTableStillSimplifiesAndFoldsEverythingElse() {
            WeiboTextCleaner lossless = new WeiboTextCleaner(CleanerOptions.LOSSLESS_CHARS);
            assertEquals("这个问题真难过!《心》", lossless.clean("這個問題真難過！[心]"));
            assertEquals(clean("這個問題真難過！[心] @某人 http://t.cn/x"), lossless.clean("這個問題真難過！[心] @某人 http://t.cn/x"));
        }

        @Test
        void fixLossyCharTableHasItsOwnVersion() {
            WeiboTextCleaner lossless = new WeiboTextCleaner(new CleanerOptions(true));
            assertEquals(Preprocessing.VERSION_LOSSLESS_CHARS, lossless.preprocessingVersion());
            assertNotEquals(Preprocessing.VERSION, lossless.preprocessingVersion());
        }

        @Test
        void versionsNameTheirOptionsBothWays() {
            for (CleanerOptions options : List.of(CleanerOptions.REFERENCE, CleanerOptions.LOSSLESS_CHARS)) {
                assertEquals(options, Preprocessing.optionsFor(Preprocessing.version(options)));
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Preprocessing.optionsFor("weibo-clean-0"));
            assertEquals("unknown preprocessing version 'weibo-clean-0': this build cleans with weibo-clean-1 or "
                    + "weibo-clean-1+lossless-chars", e.getMessage());
        }

        @Test
        void rejectsNullOptions() {
            assertThrows(NullPointerException.class, () -> new WeiboTextCleaner(null));
        }
    }

    @Test
    void isSafeToShareAcrossThreads() throws Exception {
        List<String> posts = List.of("回复@张三:猛烈 http://t.cn/x", "<b>乾隆</b> a@b.com", "转//@A:好//@B:也好", "　ＡＢ😂 ");
        List<String> expected = posts.stream().map(WeiboTextCleanerTest::clean).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    List<String> last = null;
                    for (int i = 0; i < 2000; i++) {
                        last = posts.stream().map(WeiboTextCleanerTest::clean).toList();
                    }
                    return last;
                }));
            }
            for (Future<List<String>> r : results) {
                assertEquals(expected, r.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
