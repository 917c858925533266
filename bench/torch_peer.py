"""PyTorch on the CPU, one thread, as a peer in `npm run bench`.

The same network as the benchmark's workloads (bench/run.mjs, web/lib/bench/workloads.ts):
a recurrent layer (LSTM, GRU or tanh RNN) over T steps of dense inputs (or embedded tokens),
its last state through a linear layer, softmax cross-entropy, Adam. Reads the workload as JSON
from argv[1], prints "ready", then answers each line "train" or "infer" on stdin with the
seconds that call took, measured here (no pipe time). Run by Debian's /usr/bin/python3.
"""
import json
import sys
import time

import torch

torch.set_num_threads(1)
torch.manual_seed(1)
w = json.loads(sys.argv[1])
T, B, I, H, C = w["T"], w["B"], w["I"], w["H"], w["classes"]
cell = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[w["cell"]]


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(w["vocab"], I) if w.get("vocab") else None
        self.rnn = cell(I, H)
        self.head = torch.nn.Linear(H, C)

    def forward(self, x):
        if self.embed is not None:
            x = self.embed(x)
        out, _ = self.rnn(x)
        return self.head(out[-1])


net = Net()
optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
x = torch.randint(4, w["vocab"], (T, B)) if w.get("vocab") else torch.randn(T, B, I)
y = torch.arange(B) % C
loss_fn = torch.nn.CrossEntropyLoss()


def train():
    optimizer.zero_grad()
    loss = loss_fn(net(x), y)
    loss.backward()
    optimizer.step()


def infer():
    with torch.no_grad():
        net(x)


print("ready", flush=True)
for line in sys.stdin:
    fn = {"train": train, "infer": infer}[line.strip()]
    t0 = time.perf_counter()
    fn()
    print(time.perf_counter() - t0, flush=True)
