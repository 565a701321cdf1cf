#!/usr/bin/python3
"""Writes the Hugging Face parity fixture: tiny random BERT checkpoints in the layout save_pretrained writes, and
the logits PyTorch gives for a few dozen real posts. CI never runs this; the Java tests read the committed output.

    /usr/bin/python3 make_fixture.py ../shared/data/smp2020-ewect emotion-train/src/test/resources/com/emotionmonitor/train/hf/hf-parity

Needs Debian's python3-torch (torch 1.13); `transformers` is not packaged, so the model below is written in plain
torch with Hugging Face's module structure and attribute names (modeling_bert.py: BertEmbeddings, BertSelfAttention,
BertSelfOutput, BertIntermediate, BertOutput, BertLayer, BertPooler, BertForSequenceClassification), which makes the
state-dict keys exactly Hugging Face's. The tokenizer is a plain-Python port of tokenization_bert.py's BasicTokenizer
and WordpieceTokenizer (the slow BertTokenizer). Everything is seeded: rerunning gives the same files.
"""
import json
import math
import os
import struct
import sys
import unicodedata

import torch
from torch import nn

SEED = 20260601
HIDDEN, LAYERS, HEADS, FFN, POSITIONS, TYPES, EPS = 32, 2, 4, 64, 128, 2, 1e-12
MAX_LENGTH = 64
POSTS = 40
# The checkpoint's own output order (SMP2020-EWECT's labels sorted by name), not ours: the import must reorder.
ID2LABEL = ["angry", "fear", "happy", "neutral", "sad", "surprise"]


# ---- tokenizer: tokenization_bert.py (BasicTokenizer + WordpieceTokenizer), do_lower_case=True -----------------
def is_whitespace(c):
    return c in " \t\n\r" or unicodedata.category(c) == "Zs"


def is_control(c):
    if c in "\t\n\r":
        return False
    return unicodedata.category(c).startswith("C")


def is_punctuation(c):
    cp = ord(c)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(c).startswith("P")


def is_chinese(cp):
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF or 0x2A700 <= cp <= 0x2B73F
            or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


SPECIALS = ["[UNK]", "[SEP]", "[PAD]", "[CLS]", "[MASK]"]


def basic_tokenize(text):
    out = []
    for piece in split_specials(text):
        if piece in SPECIALS:
            out.append(piece)
            continue
        cleaned = "".join(" " if is_whitespace(c) else c for c in piece
                          if not (ord(c) == 0 or ord(c) == 0xFFFD or is_control(c)))
        spaced = "".join(" " + c + " " if is_chinese(ord(c)) else c for c in cleaned)
        for token in spaced.split():
            token = token.lower()
            token = "".join(c for c in unicodedata.normalize("NFD", token) if unicodedata.category(c) != "Mn")
            word = ""
            for c in token:
                if is_punctuation(c):
                    if word:
                        out.append(word)
                    out.append(c)
                    word = ""
                else:
                    word += c
            if word:
                out.append(word)
    return out


def split_specials(text):
    pieces, start, i = [], 0, 0
    while i < len(text):
        hit = next((s for s in SPECIALS if text.startswith(s, i)), None)
        if hit:
            pieces.append(text[start:i])
            pieces.append(hit)
            i += len(hit)
            start = i
        else:
            i += 1
    pieces.append(text[start:])
    return [p for p in pieces if p]


def wordpiece(word, vocab):
    if word in SPECIALS:
        return [word]
    if len(word) > 100:
        return ["[UNK]"]
    pieces, start = [], 0
    while start < len(word):
        end, found = len(word), None
        while start < end:
            sub = word[start:end] if start == 0 else "##" + word[start:end]
            if sub in vocab:
                found = sub
                break
            end -= 1
        if found is None:
            return ["[UNK]"]
        pieces.append(found)
        start = end
    return pieces


def encode(text, vocab):
    tokens = [p for w in basic_tokenize(text) for p in wordpiece(w, vocab)][:MAX_LENGTH - 2]
    return [vocab["[CLS]"]] + [vocab[t] for t in tokens] + [vocab["[SEP]"]]


# ---- model: modeling_bert.py's modules and names ----------------------------------------------------------------
class BertEmbeddings(nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab_size, HIDDEN, padding_idx=0)
        self.position_embeddings = nn.Embedding(POSITIONS, HIDDEN)
        self.token_type_embeddings = nn.Embedding(TYPES, HIDDEN)
        self.LayerNorm = nn.LayerNorm(HIDDEN, eps=EPS)
        self.dropout = nn.Dropout(0.1)
        # A persistent buffer in transformers < 4.31, so older checkpoints carry it: the import must skip it.
        self.register_buffer("position_ids", torch.arange(POSITIONS).expand((1, -1)))

    def forward(self, input_ids, token_type_ids):
        positions = self.position_ids[:, :input_ids.shape[1]]
        e = self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids) + self.position_embeddings(positions)
        return self.dropout(self.LayerNorm(e))


class BertSelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.head = HIDDEN // HEADS
        self.query = nn.Linear(HIDDEN, HIDDEN)
        self.key = nn.Linear(HIDDEN, HIDDEN)
        self.value = nn.Linear(HIDDEN, HIDDEN)
        self.dropout = nn.Dropout(0.1)

    def split(self, x):
        return x.view(x.shape[0], x.shape[1], HEADS, self.head).permute(0, 2, 1, 3)

    def forward(self, h, mask):
        q, k, v = self.split(self.query(h)), self.split(self.key(h)), self.split(self.value(h))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head) + mask
        probs = self.dropout(nn.functional.softmax(scores, dim=-1))
        ctx = torch.matmul(probs, v).permute(0, 2, 1, 3).contiguous()
        return ctx.view(ctx.shape[0], ctx.shape[1], HIDDEN)


class BertSelfOutput(nn.Module):
    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(HIDDEN, HIDDEN)
        self.LayerNorm = nn.LayerNorm(HIDDEN, eps=EPS)
        self.dropout = nn.Dropout(0.1)

    def forward(self, h, x):
        return self.LayerNorm(self.dropout(self.dense(h)) + x)


class BertAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.self = BertSelfAttention()
        self.output = BertSelfOutput()

    def forward(self, x, mask):
        return self.output(self.self(x, mask), x)


class BertIntermediate(nn.Module):
    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(HIDDEN, FFN)

    def forward(self, h):
        # hidden_act "gelu": the exact (erf) GELU; "gelu_new" (Google's TensorFlow BERT, modeling.py's gelu): the tanh
        # approximation. The TensorFlow-format fixture (tf-parity/) is checked against the latter.
        return nn.functional.gelu(self.dense(h), approximate=HIDDEN_ACT[0])


class BertOutput(nn.Module):
    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(FFN, HIDDEN)
        self.LayerNorm = nn.LayerNorm(HIDDEN, eps=EPS)
        self.dropout = nn.Dropout(0.1)

    def forward(self, h, x):
        return self.LayerNorm(self.dropout(self.dense(h)) + x)


class BertLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.attention = BertAttention()
        self.intermediate = BertIntermediate()
        self.output = BertOutput()

    def forward(self, x, mask):
        a = self.attention(x, mask)
        return self.output(self.intermediate(a), a)


class BertEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = nn.ModuleList([BertLayer() for _ in range(LAYERS)])

    def forward(self, x, mask):
        for layer in self.layer:
            x = layer(x, mask)
        return x


class BertPooler(nn.Module):
    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(HIDDEN, HIDDEN)

    def forward(self, states):
        return torch.tanh(self.dense(states[:, 0]))


class BertModel(nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.embeddings = BertEmbeddings(vocab_size)
        self.encoder = BertEncoder()
        self.pooler = BertPooler()

    def forward(self, input_ids, attention_mask):
        # get_extended_attention_mask: (1 - mask) * dtype min, broadcast over heads and query positions
        mask = (1.0 - attention_mask[:, None, None, :].to(torch.float32)) * torch.finfo(torch.float32).min
        states = self.encoder(self.embeddings(input_ids, torch.zeros_like(input_ids)), mask)
        return self.pooler(states)


class BertForSequenceClassification(nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.bert = BertModel(vocab_size)
        self.dropout = nn.Dropout(0.1)
        self.classifier = nn.Linear(HIDDEN, len(ID2LABEL))

    def forward(self, input_ids, attention_mask):
        return self.classifier(self.dropout(self.bert(input_ids, attention_mask)))


def randomize(model):
    """Weights large enough that every parameter moves the logits well above the 1e-4 tolerance."""
    g = torch.Generator().manual_seed(SEED)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "LayerNorm.weight" in name:
                p.copy_(1 + 0.2 * torch.randn(p.shape, generator=g))
            elif name.endswith("bias") or "LayerNorm" in name:
                p.copy_(0.2 * torch.randn(p.shape, generator=g))
            elif "embeddings" in name:
                p.copy_(torch.randn(p.shape, generator=g))
            else:
                p.copy_(torch.randn(p.shape, generator=g) / math.sqrt(p.shape[1]) * (1.5 if "classifier" in name else 1))


# ---- files ------------------------------------------------------------------------------------------------------
def write_safetensors(path, tensors):
    """The safetensors layout: u64 LE header length, JSON header (dtype, shape, data_offsets), raw LE data."""
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].contiguous()
        dtype = {torch.float32: "F32", torch.int64: "I64"}[t.dtype]
        data = t.numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt"}
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


def config(vocab_size, architecture, labels):
    c = {"architectures": [architecture], "model_type": "bert", "vocab_size": vocab_size, "hidden_size": HIDDEN,
         "num_hidden_layers": LAYERS, "num_attention_heads": HEADS, "intermediate_size": FFN, "hidden_act": "gelu",
         "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1, "max_position_embeddings": POSITIONS,
         "type_vocab_size": TYPES, "initializer_range": 0.02, "layer_norm_eps": EPS, "pad_token_id": 0,
         "position_embedding_type": "absolute", "transformers_version": "4.30.2"}
    if labels:
        c["id2label"] = {str(i): l for i, l in enumerate(labels)}
        c["label2id"] = {l: i for i, l in enumerate(labels)}
    return c


def write_dir(out, vocab_tokens, cfg, tensors, with_bin):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    with open(os.path.join(out, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("".join(t + "\n" for t in vocab_tokens))
    with open(os.path.join(out, "tokenizer_config.json"), "w") as f:
        json.dump({"do_lower_case": True, "tokenize_chinese_chars": True, "strip_accents": None, "unk_token": "[UNK]",
                   "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]", "mask_token": "[MASK]",
                   "model_max_length": 512, "tokenizer_class": "BertTokenizer"}, f, indent=2)
    write_safetensors(os.path.join(out, "model.safetensors"), tensors)
    if with_bin:
        torch.save(tensors, os.path.join(out, "pytorch_model.bin"))


def read_posts(data_dir):
    texts = []
    for name in ("usual_train.jsonl", "virus_train.jsonl"):
        with open(os.path.join(data_dir, name), encoding="utf-8") as f:
            rows = [json.loads(l)["content"] for l in f if l.strip()]
        # An evenly spaced sample, then the longest with Latin letters and the first with a symbol outside ASCII (★, ♥):
        # short, long (truncated at 64 tokens), mixed scripts.
        texts += rows[::len(rows) // (POSTS // 2 - 2)][:POSTS // 2 - 2]
        texts.append(max((r for r in rows if any("a" <= c.lower() <= "z" for c in r)), key=len))
        texts.append(next(r for r in rows if any(ord(c) > 127 and unicodedata.category(c).startswith("S") for c in r)))
    return texts


# "none": the exact GELU; "tanh": Google's approximation. A list, so main() can switch it for the second pass.
HIDDEN_ACT = ["none"]


def main(data_dir, out_dir):
    torch.manual_seed(SEED)
    posts = read_posts(data_dir)
    counts = {}
    for t in posts:
        for w in basic_tokenize(t):
            for c in w:
                counts[c] = counts.get(c, 0) + 1
    frequent = sorted((c for c in counts if counts[c] >= 2), key=lambda c: (-counts[c], c))[:300]
    tokens = ["[PAD]"] + ["[unused%d]" % i for i in range(1, 100)] + ["[UNK]", "[CLS]", "[SEP]", "[MASK]", "<S>", "<T>"]
    for c in [chr(i) for i in range(33, 127) if not "A" <= chr(i) <= "Z"] + frequent:
        if c not in tokens:
            tokens.append(c)
    tokens += ["##" + c for c in "abcdefghijklmnopqrstuvwxyz0123456789"] + ["the", "http", "##s", "##ing", "cn", "com"]
    vocab = {t: i for i, t in enumerate(tokens)}

    model = BertForSequenceClassification(len(tokens))
    randomize(model)
    model.eval()
    state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    write_dir(os.path.join(out_dir, "classifier"), tokens, config(len(tokens), "BertForSequenceClassification", ID2LABEL),
              state, True)

    # The same encoder as a pretrained checkpoint in bert-base-chinese's style: BertForMaskedLM in config.json, the
    # pooler and the pretraining heads (MLM, next-sentence) in the file, LayerNorm parameters under their TF names.
    g = torch.Generator().manual_seed(SEED + 1)
    encoder = {k.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta"): v
               for k, v in state.items() if k.startswith("bert.")}
    encoder["cls.predictions.bias"] = 0.1 * torch.randn(len(tokens), generator=g)
    encoder["cls.predictions.transform.dense.weight"] = torch.randn(HIDDEN, HIDDEN, generator=g) / math.sqrt(HIDDEN)
    encoder["cls.predictions.transform.dense.bias"] = 0.1 * torch.randn(HIDDEN, generator=g)
    encoder["cls.predictions.transform.LayerNorm.gamma"] = torch.ones(HIDDEN)
    encoder["cls.predictions.transform.LayerNorm.beta"] = torch.zeros(HIDDEN)
    encoder["cls.seq_relationship.weight"] = torch.randn(2, HIDDEN, generator=g) / math.sqrt(HIDDEN)
    encoder["cls.seq_relationship.bias"] = torch.zeros(2)
    write_dir(os.path.join(out_dir, "encoder"), tokens, config(len(tokens), "BertForMaskedLM", None), encoder, False)

    cases = []
    with torch.no_grad():
        for text in posts:
            ids = encode(text, vocab)
            x = torch.tensor([ids])
            logits = model(x, torch.ones_like(x))[0]
            cases.append({"text": text, "ids": ids, "logits": [float(v) for v in logits]})
        # The same posts in one padded batch: PyTorch's own padded logits agree with its unpadded ones.
        longest = max(len(c["ids"]) for c in cases)
        ids = torch.tensor([c["ids"] + [0] * (longest - len(c["ids"])) for c in cases])
        mask = torch.tensor([[1] * len(c["ids"]) + [0] * (longest - len(c["ids"])) for c in cases])
        padded = model(ids, mask)
        unpadded = torch.tensor([c["logits"] for c in cases])
        padding_drift = float((padded - unpadded).abs().max())
        # The same weights with Google's tanh GELU, as TensorFlow's modeling.py computes them (tf-parity/).
        HIDDEN_ACT[0] = "tanh"
        for c in cases:
            x = torch.tensor([c["ids"]])
            c["logits_gelu_tanh"] = [float(v) for v in model(x, torch.ones_like(x))[0]]
        HIDDEN_ACT[0] = "none"
    expected = {"max_length": MAX_LENGTH, "labels": ID2LABEL, "torch_version": torch.__version__,
                "torch_padded_vs_unpadded_max_abs_diff": padding_drift, "posts": cases}
    with open(os.path.join(out_dir, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False, indent=1)
    print("%d posts, vocab %d, max |logit| %.3f, torch padded vs unpadded %.2e"
          % (len(cases), len(tokens), float(unpadded.abs().max()), padding_drift))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
