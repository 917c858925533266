"""Uses the exported model, printing one JSON object per line.

  classifier:      python predict.py TEXT...                  {"text", "label", "probabilities"} (as gated predict --json)
  language model:  python predict.py [-n 5] [--prefix P]      {"text"} samples;  --score TEXT...  {"text", "loss"}
  generator:       python predict.py --condition LABEL [-n 5] {"text"} samples
  translator:      python predict.py TEXT...                  {"text", "translation"} (greedy)
  forecaster:      python predict.py [--steps 12] [--history 1,2,3,...]   {"values"}

--model FILE uses another model file (default: model.safetensors beside this script).
"""

import argparse
import json
import os
import sys

import torch

from model import BOS, EOS, Vocabulary, detokenize, load, pad, tokenize

HERE = os.path.dirname(os.path.abspath(__file__))


def classify(model, card, texts):
    vocab = Vocabulary(card["vocab"])
    for text in texts:
        ids = vocab.encode(tokenize(text, card["tokenizer"], card["maxTokens"])) or [1]
        p = model.probabilities(*pad([ids]))[0].tolist()
        best = max(range(len(p)), key=lambda i: p[i])
        yield {"text": text, "label": card["labels"][best], "probabilities": dict(zip(card["labels"], p))}


def sample(logits, temperature, generator):
    if temperature == 0:
        return int(logits.argmax())
    return int(torch.multinomial(torch.softmax(logits / temperature, dim=-1), 1, generator=generator))


def generate(model, card, args, generator):
    vocab = Vocabulary(card["vocab"])
    for _ in range(args.n):
        if card["kind"] == "generator":
            if args.condition not in card["conditions"]:
                sys.exit(f"--condition must be one of {', '.join(card['conditions'])}")
            onehot = torch.zeros(1, len(card["conditions"]))
            onehot[0, card["conditions"].index(args.condition)] = 1
            state, prefix = model.start(onehot), []
            step = lambda ids, st: model(onehot, ids, torch.tensor([ids.shape[1]]), st)
        else:
            state, prefix = None, vocab.encode(tokenize(args.prefix or "", card["tokenizer"], card["maxTokens"] - 1))
            step = lambda ids, st: model(ids, torch.tensor([ids.shape[1]]), st)
        out = list(prefix)
        y, state = step(torch.tensor([[BOS] + prefix]), state)
        while len(out) < card["maxTokens"]:
            nxt = sample(y[0, -1], args.temperature, generator)
            if nxt == EOS:
                break
            out.append(nxt)
            y, state = step(torch.tensor([[nxt]]), state)
        yield {"text": detokenize(vocab.decode(out), card["tokenizer"])}


def score(model, card, texts):
    vocab = Vocabulary(card["vocab"])
    for text in texts:
        ids = vocab.encode(tokenize(text, card["tokenizer"], card["maxTokens"]))
        x, lengths = pad([[BOS] + ids])
        loss, _ = model.loss((x, lengths, torch.tensor([ids + [EOS]])))
        yield {"text": text, "loss": float(loss)}


def translate(model, card, texts):
    source, target = Vocabulary(card["sourceVocab"]), Vocabulary(card["targetVocab"])
    for text in texts:
        ids = source.encode(tokenize(text, card["tokenizer"], card["maxTokens"])) or [1]
        yield {"text": text, "translation": detokenize(target.decode(model.translate(ids, card["maxTokens"] + 10)), card["tokenizer"])}


def forecast(model, card, history, steps):
    if len(history) < card["window"] + 1:
        sys.exit(f"--history needs at least {card['window'] + 1} values")
    mean, std = card["mean"], card["std"]
    recent = history[-(card["window"] + 1):]
    z = torch.tensor([[[(b - a - mean) / std] for a, b in zip(recent, recent[1:])]])
    y, state = model(z, torch.tensor([z.shape[1]]))
    last, values = history[-1], []
    for _ in range(steps):
        nxt = float(y[0, -1, 0])
        last += nxt * std + mean
        values.append(last)
        y, state = model(torch.tensor([[[nxt]]]), torch.tensor([1]), state)
    yield {"values": values}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("texts", nargs="*")
    p.add_argument("--model", default=os.path.join(HERE, "model.safetensors"))
    p.add_argument("-n", type=int, default=5)
    p.add_argument("--prefix")
    p.add_argument("--condition")
    p.add_argument("--temperature", type=float, default=1.0)
    p.add_argument("--seed", type=int)
    p.add_argument("--score", action="store_true")
    p.add_argument("--steps", type=int, default=12)
    p.add_argument("--history")
    args = p.parse_args()
    model, _, card = load(args.model)
    generator = torch.Generator().manual_seed(args.seed) if args.seed is not None else None
    kind = card["kind"]
    with torch.no_grad():
        if kind == "classifier":
            rows = classify(model, card, args.texts)
        elif kind == "translator":
            rows = translate(model, card, args.texts)
        elif kind == "forecaster":
            if args.history:
                history = [float(v) for v in args.history.split(",")]
            else:
                print(f"(continuing the end of the training part of {card['data']['name']}; give --history to continue another series)", file=sys.stderr)
                history = card["tail"]
            rows = forecast(model, card, history, args.steps)
        elif args.score:
            rows = score(model, card, args.texts)
        else:
            rows = generate(model, card, args, generator)
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
