"""Continues training the exported model in PyTorch, on one process or many.

  python train.py --data FILE [--epochs 1] [--out trained.safetensors]
  torchrun --nproc_per_node=4 train.py --data FILE ...          (DistributedDataParallel)

The task, loss, optimizer (with its state when exported from a checkpoint),
gradient clipping and batching are Gated's, from training.json. The data file
is in the format Gated's task reads (the classifier's text,label CSV/TSV, one
text per line for a language model, a CSV column for a forecaster,
text,label rows for a generator, source<TAB>target for a translator); its
texts are read with the model's own vocabulary. Processes use gloo on CPUs and
nccl where CUDA is present; each step's batch (--batch-size, Gated's) is shared
out among them and their gradients averaged, so N processes take the steps
one would, each on 1/N of the batch. The result is a Gated model file (`gated predict` and the
playground load it).

Debian 12's PyTorch 1.13 under Python 3.11 needs `torchrun --redirects 1 --tee 1 ...`
(its torchrun misreads the default of those two flags; later PyTorch does not).
"""

import argparse
import contextlib
import csv
import datetime
import json
import os
import random
import sys

import torch
import torch.distributed as dist
from torch import nn

from model import BOS, EOS, UNK, Vocabulary, load, pad, read_safetensors, save, tokenize

HERE = os.path.dirname(os.path.abspath(__file__))
IGNORE = -100


# --- data: the task's examples, as Gated makes them --------------------------

def read_rows(path, delimiter):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = [r for r in csv.reader(f, delimiter=delimiter) if any(field.strip() for field in r)]
    if rows and [x.strip().lower() for x in rows[0]] == ["text", "label"]:
        rows = rows[1:]
    return rows


def examples_of(card, path, column):
    kind = card["kind"]
    delimiter = "\t" if path.lower().endswith(".tsv") or kind == "translator" else ","
    if kind == "forecaster":
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.reader(f))
        header = [h.strip() for h in rows[0]]
        name = column or card["data"].get("column") or header[-1]
        if name not in header:
            sys.exit(f"{path}: no column {name}; the columns are {', '.join(header)}")
        values = [float(r[header.index(name)]) for r in rows[1:] if r]
        z = [(b - a - card["mean"]) / card["std"] for a, b in zip(values, values[1:])]
        w = card["window"]
        return [([[v] for v in z[s:s + w]], [[v] for v in z[s + 1:s + w + 1]]) for s in range(len(z) - w)], values
    tok = card["tokenizer"]
    limit = card["maxTokens"]
    if kind == "language-model":
        vocab = Vocabulary(card["vocab"])
        with open(path, encoding="utf-8") as f:
            lines = [line.strip() for line in f if line.strip()]
        return [ids for ids in (vocab.encode(tokenize(t, tok, limit)) for t in lines) if ids], None
    rows = read_rows(path, delimiter)
    if kind == "translator":
        src, tgt = Vocabulary(card["sourceVocab"]), Vocabulary(card["targetVocab"])
        return [(src.encode(tokenize(r[0], tok, limit)) or [UNK], tgt.encode(tokenize(r[1], tok, limit))) for r in rows], None
    vocab = Vocabulary(card["vocab"])
    labels = card["labels"] if kind == "classifier" else card["conditions"]
    out = []
    for text, label in ((r[0].strip(), r[1].strip()) for r in rows):
        if label not in labels:
            sys.exit(f"{path}: the label {label!r} is not one the model knows ({', '.join(labels)})")
        out.append((vocab.encode(tokenize(text, tok, limit)) or [UNK], labels.index(label)))
    return out, None


def length_of(kind, e):
    return len(e) if kind == "language-model" else len(e[0])


def teacher(targets):
    """Decoder inputs <s> y… and targets y… </s>, ignored past each length."""
    ids, lengths = pad([[BOS] + t for t in targets])
    out = torch.full(ids.shape, IGNORE, dtype=torch.long)
    for b, t in enumerate(targets):
        out[b, :len(t) + 1] = torch.tensor(t + [EOS])
    return ids, lengths, out


def collate(card, batch):
    kind = card["kind"]
    if kind == "classifier":
        ids, lengths = pad([e[0] for e in batch])
        return ids, lengths, torch.tensor([e[1] for e in batch])
    if kind == "language-model":
        return teacher(batch)
    if kind == "forecaster":
        x = torch.tensor([e[0] for e in batch], dtype=torch.float32)
        return x, torch.full((len(batch),), x.shape[1], dtype=torch.long), torch.tensor([e[1] for e in batch], dtype=torch.float32)
    if kind == "generator":
        conditions = torch.zeros(len(batch), len(card["conditions"]))
        for b, e in enumerate(batch):
            conditions[b, e[1]] = 1
        return (conditions, *teacher([e[0] for e in batch]))
    src, src_lengths = pad([e[0] for e in batch])
    return (src, src_lengths, *teacher([e[1] for e in batch]))


def batches_of(examples, size, rng, length, window=20):
    """Gated's batching: shuffled, sorted by length within windows of 20 batches, batch order shuffled."""
    order = list(examples)
    rng.shuffle(order)
    if length:
        order = [e for i in range(0, len(order), size * window) for e in sorted(order[i:i + size * window], key=length)]
    batches = [order[i:i + size] for i in range(0, len(order), size)]
    rng.shuffle(batches)
    return batches


# --- optimizer, as Gated's settings name it ----------------------------------

def optimizer_of(settings, params):
    kind = settings.get("optimizer", "adam")
    o = settings.get("optimizerOptions", {})
    common = {"lr": o.get("lr", 1e-3), "weight_decay": o.get("weightDecay", 1e-2 if kind == "adamw" else 0)}
    if kind in ("adam", "adamw"):
        make = torch.optim.Adam if kind == "adam" else torch.optim.AdamW
        return make(params, betas=tuple(o.get("betas", (0.9, 0.999))), eps=o.get("eps", 1e-8), **common)
    if kind == "sgd":
        return torch.optim.SGD(params, momentum=o.get("momentum", 0), dampening=o.get("dampening", 0), nesterov=o.get("nesterov", False), **common)
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, alpha=o.get("alpha", 0.99), eps=o.get("eps", 1e-8), momentum=o.get("momentum", 0), centered=o.get("centered", False), **common)
    return torch.optim.Adagrad(params, lr_decay=o.get("lrDecay", 0), eps=o.get("eps", 1e-10), initial_accumulator_value=o.get("initialAccumulatorValue", 0), **common)


def restore_optimizer(optimizer, model, state, path, device):
    """Puts back a Gated checkpoint's optimizer: step count, learning rate, buffers (exp_avg.<parameter>, …)."""
    tensors, _ = read_safetensors(path)
    names = dict(model.named_parameters())
    for key, t in tensors.items():
        buffer, name = key.split(".", 1)
        slot = optimizer.state[names[name]]
        slot[buffer] = t.to(device)
        slot["step"] = torch.tensor(float(state["steps"]))
    for group in optimizer.param_groups:
        group["lr"] = state["lr"]


class Loss(nn.Module):
    """The model's loss as its forward, so that DistributedDataParallel sees every step."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, batch, state=None):
        return self.model.loss(batch, state) if state is not None else self.model.loss(batch)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--out", default="trained.safetensors")
    p.add_argument("--model", default=os.path.join(HERE, "model.safetensors"))
    p.add_argument("--batch-size", type=int)
    p.add_argument("--lr", type=float)
    p.add_argument("--seed", type=int)
    p.add_argument("--column", help="a forecaster's CSV column (default: the model's)")
    p.add_argument("--max-steps", type=int, help="stop after this many optimizer steps")
    p.add_argument("--log-steps", action="store_true", help="print each step's loss as JSON")
    args = p.parse_args()

    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    cuda = torch.cuda.is_available()
    if world > 1:
        dist.init_process_group("nccl" if cuda else "gloo")
    device = torch.device(f"cuda:{int(os.environ.get('LOCAL_RANK', '0'))}" if cuda else "cpu")
    if cuda:
        torch.cuda.set_device(device)

    with open(os.path.join(HERE, "training.json"), encoding="utf-8") as f:
        training = json.load(f)
    settings = training["settings"]
    seed = args.seed if args.seed is not None else settings.get("seed", 1)
    torch.manual_seed(seed + rank)
    model, config, card = load(args.model)
    if config.get("recurrentDropout", 0) or config.get("decoder", {}).get("recurrentDropout", 0) or config.get("encoder", {}).get("recurrentDropout", 0):
        print("note: the model's recurrent (variational) dropout has no torch.nn form; training goes on without it", file=sys.stderr)
    model.to(device).train()
    examples, series = examples_of(card, args.data, args.column)
    if not examples:
        sys.exit(f"{args.data}: no examples for a {card['kind']}")
    batch_size = args.batch_size or settings["batchSize"]
    if args.lr is not None:
        settings.setdefault("optimizerOptions", {})["lr"] = args.lr
    optimizer = optimizer_of(settings, model.parameters())
    if training.get("optimizerState") and os.path.exists(os.path.join(HERE, "optimizer.safetensors")) and args.lr is None:
        restore_optimizer(optimizer, model, training["optimizerState"], os.path.join(HERE, "optimizer.safetensors"), device)
    loss_of = Loss(model)
    if world > 1:
        loss_of = nn.parallel.DistributedDataParallel(loss_of, device_ids=[device.index] if cuda else None)
    tbptt = training.get("options", {}).get("tbptt", 0) if card["kind"] == "language-model" else 0
    rng = random.Random(seed)
    steps = 0
    to = lambda t: t.to(device)
    for epoch in range(args.epochs):
        batches = batches_of(examples, batch_size, rng, (lambda e: length_of(card["kind"], e)) if settings.get("bucketing", True) else None)
        # Each step's batch is shared out among the processes (their gradients are averaged), so
        # every process takes the same steps, as many as one process would; a batch smaller than
        # the number of processes is left out.
        mine = [b[rank::world] for b in batches if len(b) >= world]
        total, count = 0.0, 0
        for batch in mine:
            tensors = tuple(map(to, collate(card, batch)))
            optimizer.zero_grad()
            if tbptt and card["kind"] == "language-model":
                loss = truncated_step(loss_of, tensors, tbptt)
            else:
                loss = loss_of(tensors)
                loss = loss[0] if isinstance(loss, tuple) else loss
                loss.backward()
            if settings.get("clipValue"):
                nn.utils.clip_grad_value_(model.parameters(), settings["clipValue"])
            if settings.get("clipNorm"):
                nn.utils.clip_grad_norm_(model.parameters(), settings["clipNorm"])
            optimizer.step()
            steps += 1
            total += float(loss)
            count += 1
            if args.log_steps and rank == 0:
                print(json.dumps({"step": steps, "loss": float(loss)}), flush=True)
            if args.max_steps and steps >= args.max_steps:
                break
        mean = torch.tensor([total, count], dtype=torch.float64)
        if world > 1:
            dist.all_reduce(mean)
        if rank == 0:
            print(json.dumps({"epoch": epoch + 1, "loss": float(mean[0] / max(1, mean[1])), "processes": world}), flush=True)
        if args.max_steps and steps >= args.max_steps:
            break
    if rank == 0:
        model.to("cpu").eval()
        data = {"name": os.path.basename(args.data), "items": len(series) if series is not None else len(examples), "testFraction": 0, "seed": seed}
        if card["kind"] == "forecaster":
            column = args.column or card["data"].get("column")
            if column:
                data["column"] = column
            card["tail"] = series[-(card["window"] + 1):]
        card = {k: v for k, v in card.items() if k != "scores"}
        card.update(data=data, trained=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"))
        save(args.out, model, config, card)
        print(json.dumps({"saved": args.out}), flush=True)
    if world > 1:
        dist.destroy_process_group()


def truncated_step(loss_of, tensors, k):
    """Truncated BPTT as Gated's: chunks of k steps, the state carried (detached), each chunk's mean loss backpropagated, the gradients added."""
    x, lengths, targets = tensors
    state, total, counted = None, 0.0, 0
    starts = list(range(0, x.shape[1], k))
    for t0 in starts:
        chunk_len = (lengths - t0).clamp(min=0, max=k)
        # Sequences that ended read one ignored step, so the state rows stay aligned.
        ts = targets[:, t0:t0 + k].masked_fill((chunk_len == 0)[:, None], IGNORE)
        n = int((ts != IGNORE).sum())
        # Under DistributedDataParallel gradients are averaged once, after the last chunk.
        sync = t0 == starts[-1] or not hasattr(loss_of, "no_sync")
        with contextlib.nullcontext() if sync else loss_of.no_sync():
            loss, state = loss_of((x[:, t0:t0 + k], chunk_len.clamp(min=1), ts), state)
            loss.backward()
        total += float(loss) * n
        counted += n
        state = tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()
    return torch.tensor(total / max(1, counted))


if __name__ == "__main__":
    main()
