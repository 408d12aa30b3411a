"""PyTorch reference for `npm run bench`: char-level RNN training throughput and matmul peak.

Trains nn.LSTM / nn.GRU / nn.RNN (tanh) on one-hot characters with a linear softmax read-out,
Adam, gradient-norm clipping 5 and truncated BPTT (state carried, detached), exactly the
workload Cellscope's trainer runs, and prints one JSON line per measurement.
Run by tests/bench/run.ts with OpenBLAS's own kernels (OPENBLAS_CORETYPE unset) and
OPENBLAS_NUM_THREADS=1, the best setting measured on these machines.
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def matmul_peak(threads: int, n: int = 1024, reps: int = 20) -> float:
    torch.set_num_threads(threads)
    a = torch.randn(n, n)
    b = torch.randn(n, n)
    for _ in range(3):
        a @ b
    t0 = time.perf_counter()
    for _ in range(reps):
        a @ b
    dt = (time.perf_counter() - t0) / reps
    return 2 * n ** 3 / dt / 1e9


def train_throughput(arch: str, layers: int, hidden: int, ids: torch.Tensor, vocab: int, steps: int, threads: int) -> float:
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    rnn_cls = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[arch]
    rnn = rnn_cls(vocab, hidden, num_layers=layers)
    out = nn.Linear(hidden, vocab)
    params = list(rnn.parameters()) + list(out.parameters())
    opt = torch.optim.Adam(params, lr=2e-3)
    batch, seq = 32, 64
    stream = (ids.numel() - 1) // batch
    data = ids[: stream * batch + 1]
    state = None
    times = []
    for step in range(steps + 3):
        p = (step * seq) % (stream - seq - 1)
        idx = torch.arange(batch) * stream + p
        x = torch.stack([data[idx + t] for t in range(seq)])  # [seq, batch]
        y = torch.stack([data[idx + t + 1] for t in range(seq)])
        t0 = time.perf_counter()
        xs = F.one_hot(x, vocab).float()
        if state is not None:
            state = tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()
        hs, state = rnn(xs, state)
        loss = F.cross_entropy(out(hs).reshape(-1, vocab), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 5.0)
        opt.step()
        if step >= 3:
            times.append(time.perf_counter() - t0)
    times.sort()
    return batch * seq / times[len(times) // 2]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--configs", required=True, help="arch:layers:hidden:steps,... e.g. lstm:1:128:30")
    args = ap.parse_args()
    text = open(args.corpus, encoding="utf-8").read()
    chars = sorted(set(text))
    index = {c: i for i, c in enumerate(chars)}
    ids = torch.tensor([index[c] for c in text], dtype=torch.long)
    peak = max(matmul_peak(1), matmul_peak(2))
    print(json.dumps({"kind": "peak", "gflops": peak, "torch": torch.__version__}), flush=True)
    for spec in args.configs.split(","):
        arch, layers, hidden, steps = spec.split(":")
        layers, hidden, steps = int(layers), int(hidden), int(steps)
        threads = 1 if hidden <= 256 else 2
        cps = train_throughput(arch, layers, hidden, ids, len(chars), steps, threads)
        print(json.dumps({"kind": "train", "arch": arch, "layers": layers, "hidden": hidden, "charsPerSec": cps, "threads": threads}), flush=True)


if __name__ == "__main__":
    main()
