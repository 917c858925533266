"""A Gated model as a torch.nn.Module, with what reads and writes its texts.

Written by `gated export --format pytorch`; needs nothing but PyTorch. The
weights keep Gated's names (encoder.rnn.weight_ih_l0, head.weight, ...), which
are torch.nn's, so a state dict goes both ways unchanged. Files are Gated's
model files: safetensors with the model's config and card in the metadata.
"""

import json
import os
import re
import struct
import unicodedata

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

PAD, UNK, BOS, EOS = 0, 1, 2, 3
MAX_HEADER = 16 << 20


# --- safetensors (float32 only), with Gated's metadata -----------------------

def read_safetensors(path):
    """The tensors and the metadata of a safetensors file."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f"{path}: too short for a safetensors file")
    (n,) = struct.unpack("<Q", data[:8])
    if n > MAX_HEADER or 8 + n > len(data):
        raise ValueError(f"{path}: the header length {n} does not fit the file")
    header = json.loads(data[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    body = memoryview(data)[8 + n:]
    tensors = {}
    for name, entry in header.items():
        if entry["dtype"] != "F32":
            raise ValueError(f"{path}: {name} is {entry['dtype']}; only F32 is read")
        begin, end = entry["data_offsets"]
        tensors[name] = torch.frombuffer(bytearray(body[begin:end]), dtype=torch.float32).reshape(entry["shape"]).clone()
    return tensors, metadata


def write_safetensors(path, tensors, metadata):
    """Writes float32 tensors (names sorted, data 8-byte aligned) and string metadata."""
    names = sorted(tensors)
    header = {"__metadata__": metadata}
    offset = 0
    blobs = []
    for name in names:
        t = tensors[name].detach().to("cpu", torch.float32).contiguous()
        blob = t.numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    tmp = f"{path}.partial"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)
    os.replace(tmp, path)


# --- texts -------------------------------------------------------------------

def normalize(text, lowercase):
    """As Gated: NFC, tags to spaces, whitespace collapsed, trimmed, maybe lowercased."""
    s = unicodedata.normalize("NFC", text)
    s = re.sub(r"<[^>]{0,40}>", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    return s.lower() if lowercase else s


def tokenize(text, spec, limit=None):
    """Gated's tokenizers: characters, or words (a letter then letters, marks and apostrophes; one digit; one other non-space character)."""
    s = normalize(text, spec["lowercase"])
    if spec["kind"] == "char":
        tokens = list(s)
    else:
        tokens = []
        i = 0
        while i < len(s):
            c = unicodedata.category(s[i])
            if c[0] == "L":
                j = i + 1
                while j < len(s) and (unicodedata.category(s[j])[0] in "LM" or s[j] in "'’"):
                    j += 1
                tokens.append(s[i:j])
                i = j
            elif s[i].isspace():
                i += 1
            else:
                tokens.append(s[i])
                i += 1
    return tokens if limit is None else tokens[:limit]


_CLOSING = re.compile(r"^[.,;:!?)\]}%»]$")
_OPENING = re.compile(r"^[(\[{¿¡«$]$")


def detokenize(tokens, spec):
    if spec["kind"] == "char":
        return "".join(tokens)
    out = ""
    for i, t in enumerate(tokens):
        prev = tokens[i - 1] if i else ""
        glue = i == 0 or _CLOSING.match(t) or _OPENING.match(prev) or (len(t) == 1 and unicodedata.category(t)[0] == "N" and len(prev) == 1 and unicodedata.category(prev)[0] == "N")
        out += ("" if glue else " ") + t
    return out


class Vocabulary:
    def __init__(self, tokens):
        self.tokens = list(tokens)
        self.index = {t: i for i, t in enumerate(self.tokens)}

    def encode(self, tokens):
        return [self.index.get(t, UNK) for t in tokens]

    def decode(self, ids):
        out = []
        for i in ids:
            if i == EOS:
                break
            if i not in (PAD, BOS):
                out.append(self.tokens[i])
        return out


def pad(sequences, value=PAD):
    """Batch-first ids [B, T] and lengths [B]."""
    T = max(len(s) for s in sequences)
    ids = torch.full((len(sequences), T), value, dtype=torch.long)
    for b, s in enumerate(sequences):
        ids[b, :len(s)] = torch.tensor(s, dtype=torch.long)
    return ids, torch.tensor([len(s) for s in sequences], dtype=torch.long)


# --- layers ------------------------------------------------------------------

def merge(x, mode):
    """A bidirectional output's halves [forward; reverse] combined as Gated's merge does."""
    if mode == "concat":
        return x
    a, b = x.chunk(2, dim=-1)
    return {"sum": a + b, "mean": (a + b) * 0.5, "mul": a * b}[mode]


class Encoder(nn.Module):
    """Embedding (or features), a stacked recurrent layer over packed sequences, the merge."""

    def __init__(self, c):
        super().__init__()
        self.c = c
        if "vocabSize" in c["input"]:
            self.embedding = nn.Embedding(c["input"]["vocabSize"], c["input"]["embeddingDim"], padding_idx=PAD)
            size = c["input"]["embeddingDim"]
        else:
            self.embedding = None
            size = c["input"]["features"]
        if c["cell"] == "gru" and c.get("resetAfter", True) is False:
            raise ValueError("this GRU computes its candidate as W_hn (r * h) (resetAfter: false), which torch.nn.GRU does not")
        kind = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[c["cell"]]
        extra = {"nonlinearity": c.get("nonlinearity", "tanh")} if c["cell"] == "rnn" else {}
        self.rnn = kind(size, c["hiddenSize"], num_layers=c["numLayers"], bidirectional=c["bidirectional"],
                        dropout=c["dropout"], batch_first=True, **extra)
        self.word_dropout = c.get("wordDropout", 0)
        self.directions = 2 if c["bidirectional"] else 1

    def forward(self, x, lengths, state=None):
        """x: ids [B, T] or features [B, T, F]. Returns merged outputs [B, T, W] (zero past each length) and the final state."""
        if self.embedding is not None:
            if self.training and self.word_dropout:
                drop = (torch.rand(x.shape, device=x.device) < self.word_dropout) & (x != PAD)
                x = x.masked_fill(drop, UNK)
            x = self.embedding(x)
        T = x.shape[1]
        packed = pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
        out, final = self.rnn(packed, state)
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=T)
        return (merge(out, self.c["merge"]) if self.directions == 2 else out), final

    def final_rows(self, state):
        """Each layer's final state [L, B, H·D], directions merged, as Gated's finalStates."""
        L, D = self.c["numLayers"], self.directions
        s = state.view(L, D, state.shape[1], state.shape[2])
        if D == 1:
            return s[:, 0]
        return merge(torch.cat([s[:, 0], s[:, 1]], dim=-1), self.c["merge"])


def width(c):
    return 2 * c["hiddenSize"] if c["bidirectional"] and c["merge"] == "concat" else c["hiddenSize"]


def encoder_config(config):
    keys = ["input", "cell", "hiddenSize", "numLayers", "bidirectional", "merge", "dropout", "recurrentDropout", "wordDropout", "nonlinearity", "resetAfter", "init"]
    return {k: config[k] for k in keys if k in config}


def valid_steps(lengths, T):
    return torch.arange(T, device=lengths.device)[None, :] < lengths[:, None]


class EncoderWithHead(nn.Module):
    """The encoder, dropout and a linear head of `outputs` units: what a classifier and a tagger share."""

    def __init__(self, config, outputs):
        super().__init__()
        self.config = config
        self.encoder = Encoder(encoder_config(config))
        self.dropout = nn.Dropout(config["headDropout"])
        self.head = nn.Linear(width(config), outputs)


class Classifier(EncoderWithHead):
    def __init__(self, config):
        super().__init__(config, config["classes"])

    def forward(self, ids, lengths):
        out, final = self.encoder(ids, lengths)
        pooling = self.config["pooling"]
        if pooling == "last":
            h = final[0] if isinstance(final, tuple) else final
            pooled = self.encoder.final_rows(h)[-1]
        elif pooling == "mean":
            pooled = out.sum(1) / lengths.to(out.dtype)[:, None]
        else:
            pooled = out.masked_fill(~valid_steps(lengths, out.shape[1])[:, :, None], float("-inf")).amax(1)
        return self.head(self.dropout(pooled))

    def loss(self, batch):
        ids, lengths, labels = batch
        logits = self(ids, lengths)
        if self.config["classes"] == 1:
            return nn.functional.binary_cross_entropy_with_logits(logits[:, 0], labels.to(logits.dtype))
        return nn.functional.cross_entropy(logits, labels)

    def probabilities(self, ids, lengths):
        logits = self(ids, lengths)
        if self.config["classes"] == 1:
            p = torch.sigmoid(logits)
            return torch.cat([1 - p, p], dim=1)
        return torch.softmax(logits, dim=1)


class Tagger(EncoderWithHead):
    """An output per step: next-token logits (language model) or the next values (forecaster)."""

    def __init__(self, config):
        super().__init__(config, config["outputs"])

    def forward(self, x, lengths, state=None):
        out, final = self.encoder(x, lengths, state)
        return self.head(self.dropout(out)), final

    def loss(self, batch, state=None):
        x, lengths, targets = batch
        y, final = self(x, lengths, state)
        if self.config["head"] == "softmax":
            return nn.functional.cross_entropy(y.reshape(-1, y.shape[-1]), targets.reshape(-1), ignore_index=-100), final
        mask = valid_steps(lengths, y.shape[1])[:, :, None].expand_as(y)
        return ((y - targets)[mask] ** 2).mean(), final


class Generator(nn.Module):
    """A condition vector sets every layer's first state; the decoder writes tokens."""

    def __init__(self, config):
        super().__init__()
        self.config = config
        d = config["decoder"]
        self.bridge = nn.Linear(config["conditionSize"], d["numLayers"] * d["hiddenSize"])
        self.decoder = Encoder(d)
        self.dropout = nn.Dropout(config["headDropout"])
        self.head = nn.Linear(d["hiddenSize"], d["input"]["vocabSize"])

    def start(self, conditions):
        d = self.config["decoder"]
        h0 = torch.tanh(self.bridge(conditions)).view(-1, d["numLayers"], d["hiddenSize"]).transpose(0, 1).contiguous()
        return (h0, torch.zeros_like(h0)) if d["cell"] == "lstm" else h0

    def forward(self, conditions, ids, lengths, state=None):
        out, final = self.decoder(ids, lengths, self.start(conditions) if state is None else state)
        return self.head(self.dropout(out)), final

    def loss(self, batch):
        conditions, ids, lengths, targets = batch
        y, _ = self(conditions, ids, lengths)
        return nn.functional.cross_entropy(y.reshape(-1, y.shape[-1]), targets.reshape(-1), ignore_index=-100)


class Attention(nn.Module):
    def __init__(self, score, size, attention_size=None):
        super().__init__()
        self.score = score
        A = attention_size or size
        if score == "general":
            self.weight = nn.Parameter(torch.empty(size, size))
        if score == "additive":
            self.query_weight = nn.Parameter(torch.empty(A, size))
            self.key_weight = nn.Parameter(torch.empty(A, size))
            self.v = nn.Parameter(torch.empty(A))

    def forward(self, q, k, source_lengths):
        """q [B, T, H], k [B, Ts, H] → context [B, T, H], weights [B, T, Ts]."""
        if self.score == "dot":
            scores = q @ k.transpose(1, 2)
        elif self.score == "general":
            scores = q @ (k @ self.weight.t()).transpose(1, 2)
        else:
            th = torch.tanh((q @ self.query_weight.t())[:, :, None, :] + (k @ self.key_weight.t())[:, None, :, :])
            scores = th @ self.v
        scores = scores.masked_fill(~valid_steps(source_lengths, k.shape[1])[:, None, :], float("-inf"))
        weights = torch.softmax(scores, dim=-1)
        return weights @ k, weights


class Seq2Seq(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        e = config["encoder"]
        Hd = width(e)
        self.encoder = Encoder(e)
        self.decoder = Encoder({**e, "input": {"vocabSize": config["targetVocabSize"], "embeddingDim": config["targetEmbeddingDim"]},
                                "hiddenSize": Hd, "bidirectional": False})
        if config["attention"] != "none":
            self.attention = Attention(config["attention"], Hd, config.get("attentionSize"))
            self.combine = nn.Linear(2 * Hd, Hd)
        else:
            self.attention = None
        self.dropout = nn.Dropout(config["headDropout"])
        self.head = nn.Linear(Hd, config["targetVocabSize"])

    def encode(self, ids, lengths):
        memory, final = self.encoder(ids, lengths)
        if isinstance(final, tuple):
            return memory, (self.encoder.final_rows(final[0]).contiguous(), self.encoder.final_rows(final[1]).contiguous())
        return memory, self.encoder.final_rows(final).contiguous()

    def decode(self, memory, source_lengths, ids, lengths, state):
        out, final = self.decoder(ids, lengths, state)
        weights = None
        if self.attention is not None:
            context, weights = self.attention(out, memory, source_lengths)
            out = torch.tanh(self.combine(torch.cat([context, out], dim=-1)))
        return self.head(self.dropout(out)), final, weights

    def loss(self, batch):
        src, src_lengths, ids, lengths, targets = batch
        memory, state = self.encode(src, src_lengths)
        y, _, _ = self.decode(memory, src_lengths, ids, lengths, state)
        return nn.functional.cross_entropy(y.reshape(-1, y.shape[-1]), targets.reshape(-1), ignore_index=-100)

    @torch.no_grad()
    def translate(self, src, max_length=50):
        """Greedy decoding of one source (ids)."""
        s, sl = pad([src])
        memory, state = self.encode(s, sl)
        prev, out = BOS, []
        for _ in range(max_length):
            y, state, _ = self.decode(memory, sl, torch.tensor([[prev]]), torch.tensor([1]), state)
            prev = int(y[0, 0].argmax())
            if prev == EOS:
                break
            out.append(prev)
        return out


MODELS = {"classifier": Classifier, "tagger": Tagger, "generator": Generator, "seq2seq": Seq2Seq}


def load(path):
    """A Gated model file: (model in evaluation mode, config, card)."""
    tensors, metadata = read_safetensors(path)
    if metadata.get("format") != "gated-model":
        raise ValueError(f"{path} is not a Gated model file")
    config = json.loads(metadata["config"])
    card = json.loads(metadata["card"]) if "card" in metadata else None
    if config["type"] not in MODELS:
        raise ValueError(f"{path}: a {config['type']} model has no PyTorch form here")
    model = MODELS[config["type"]](config)
    model.load_state_dict(tensors, strict=True)
    return model.eval(), config, card


def save(path, model, config, card):
    """Writes a Gated model file that `gated predict` and the playground load."""
    write_safetensors(path, model.state_dict(), {"format": "gated-model", "version": "2", "config": json.dumps(config), "card": json.dumps(card)})
