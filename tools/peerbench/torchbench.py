"""PyTorch's side of tegaki's peer benchmark (tools/peerbench).

peerbench writes this file into a temporary folder and runs it with Debian's
python3, OPENBLAS_NUM_THREADS=1 in the environment. It reads one JSON request
on standard input and prints one JSON object on standard output:

  {"mode": "probe"}
      -> {"torch": version, "blas": [BLAS libraries loaded]}
  {"mode": "export", "archs": [...], "dir": DIR}
      -> writes DIR/<arch>.onnx (opset 13, weights at seed 0) and prints {}
  {"mode": "bench", "archs": [...], "gemm": [{"name", "layout", "m", "n", "k"}],
   "seconds": S, "threads": T}
      -> {"train/<arch>": samples/s, "predict/<arch>": µs, "gemm/<name>": GFLOP/s}

The architectures are tegaki's (nn.Architecture), layer for layer.
"""

import json
import statistics
import sys
import time

import torch
import torch.nn as tnn
import torch.nn.functional as F

BATCH = 100
WARMUP_STEPS = 20
WARMUP_CALLS = 200


class MLP50(tnn.Module):
    """Affine 50, ReLU, affine 10."""

    def __init__(self):
        super().__init__()
        self.fc1 = tnn.Linear(784, 50)
        self.fc2 = tnn.Linear(50, 10)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


class SimpleConvNet(tnn.Module):
    """Conv 30 5x5, ReLU, max pool 2, affine 100, ReLU, affine 10."""

    def __init__(self):
        super().__init__()
        self.conv = tnn.Conv2d(1, 30, 5)
        self.fc1 = tnn.Linear(30 * 12 * 12, 100)
        self.fc2 = tnn.Linear(100, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv(x)), 2)
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


class LeNet32(tnn.Module):
    """Conv 16 5x5 pad 2, ReLU, pool; conv 32 5x5, ReLU, pool; affine 128, ReLU, affine 10."""

    def __init__(self):
        super().__init__()
        self.conv1 = tnn.Conv2d(1, 16, 5, padding=2)
        self.conv2 = tnn.Conv2d(16, 32, 5)
        self.fc1 = tnn.Linear(32 * 5 * 5, 128)
        self.fc2 = tnn.Linear(128, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


ARCHS = {m.__name__: m for m in (MLP50, SimpleConvNet, LeNet32)}


def build(name):
    torch.manual_seed(0)
    return ARCHS[name]()


def train_rate(name, seconds):
    """Samples per second of Adam training steps at batch 100 on one fixed
    random batch, as tegaki's BenchmarkTrainStep does."""
    model = build(name).train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999))
    gen = torch.Generator().manual_seed(1)
    x = torch.rand(BATCH, 1, 28, 28, generator=gen)
    y = torch.randint(0, 10, (BATCH,), generator=gen)

    def step():
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()

    for _ in range(WARMUP_STEPS):
        step()
    steps, start = 0, time.perf_counter()
    while True:
        step()
        steps += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return steps * BATCH / elapsed


def predict_micros(name, seconds):
    """Median µs of one call on one digit in inference mode."""
    model = build(name).eval()
    x = torch.rand(1, 1, 28, 28, generator=torch.Generator().manual_seed(1))
    times = []
    with torch.inference_mode():
        for _ in range(WARMUP_CALLS):
            model(x)
        end = time.perf_counter() + seconds
        while True:
            start = time.perf_counter()
            model(x)
            now = time.perf_counter()
            times.append(now - start)
            if now >= end:
                break
    return statistics.median(times) * 1e6


def gemm_rate(layout, m, n, k, seconds):
    """GFLOP/s of torch.mm for C(m×n) = op(A)·op(B), where layout's two
    letters say whether A and B are stored transposed, as in BLAS."""
    a = torch.rand(k, m).t() if layout[0] == "T" else torch.rand(m, k)
    b = torch.rand(n, k).t() if layout[1] == "T" else torch.rand(k, n)
    c = torch.empty(m, n)
    for _ in range(3):
        torch.mm(a, b, out=c)
    reps, start = 0, time.perf_counter()
    while True:
        torch.mm(a, b, out=c)
        reps += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return 2 * m * n * k * reps / elapsed / 1e9


def probe(_):
    with open("/proc/self/maps") as f:
        blas = sorted({line.split()[-1] for line in f if "blas" in line})
    return {"torch": torch.__version__, "blas": blas}


def export(req):
    for name in req["archs"]:
        model = build(name).eval()
        torch.onnx.export(model, torch.zeros(1, 1, 28, 28), f"{req['dir']}/{name}.onnx",
                          opset_version=13, input_names=["x"], output_names=["scores"])
    return {}


def bench(req):
    torch.set_num_threads(req["threads"])
    seconds = req["seconds"]
    res = {}
    for name in req["archs"]:
        res["train/" + name] = train_rate(name, seconds)
        res["predict/" + name] = predict_micros(name, seconds)
    for g in req.get("gemm") or []:
        res["gemm/" + g["name"]] = gemm_rate(g["layout"], g["m"], g["n"], g["k"], min(seconds, 1))
    return res


def main():
    req = json.load(sys.stdin)
    modes = {"probe": probe, "export": export, "bench": bench}
    if req.get("mode") not in modes:
        sys.exit(f"torchbench.py: unknown mode {req.get('mode')!r}")
    print(json.dumps(modes[req["mode"]](req)))


if __name__ == "__main__":
    main()
