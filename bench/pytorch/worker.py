"""PyTorch side of the Regimen benchmark: a worker driven line by line over stdin by bench/bench.py.

Run with Debian's /usr/bin/python3 (python3-torch) and
LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp, or torch falls back to the reference BLAS.
Commands (one per line) and their answers ("@@RESULT " + one JSON line) are described in bench/bench.py.
"""
import argparse
import gzip
import json
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    zero, dtype, rank = struct.unpack(">HBB", data[:4])
    assert zero == 0 and dtype == 0x08, path
    shape = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(shape)


def load(directory, split):
    x = read_idx(os.path.join(directory, split + "-images-idx3-ubyte.gz")).astype(np.float32) / 255.0
    y = read_idx(os.path.join(directory, split + "-labels-idx1-ubyte.gz")).astype(np.int64)
    return torch.from_numpy(x.copy()).reshape(-1, 1, 28, 28), torch.from_numpy(y.copy())


def make_model(kind, variant):
    full = variant == "full"
    if kind == "mlp":
        layers = [nn.Flatten(), nn.Linear(784, 512)]
        layers += [nn.BatchNorm1d(512)] if full else []
        layers += [nn.ReLU()] + ([nn.Dropout(0.5)] if full else [])
        layers += [nn.Linear(512, 512)]
        layers += [nn.BatchNorm1d(512)] if full else []
        layers += [nn.ReLU()] + ([nn.Dropout(0.5)] if full else [])
        layers += [nn.Linear(512, 10)]
        return nn.Sequential(*layers)
    layers = [nn.Conv2d(1, 32, 3, padding=1)]
    layers += [nn.BatchNorm2d(32)] if full else []
    layers += [nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3, padding=1)]
    layers += [nn.BatchNorm2d(64)] if full else []
    layers += [nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU()]
    layers += [nn.Dropout(0.5)] if full else []
    layers += [nn.Linear(128, 10)]
    return nn.Sequential(*layers)


class Worker:
    def __init__(self, args):
        self.args = args
        self.x_train, self.y_train = load(args.data, "train")
        self.x_test, self.y_test = load(args.data, "t10k")
        self.gen = torch.Generator().manual_seed(args.seed)
        self.reset()

    def reset(self):
        torch.manual_seed(self.args.seed)
        self.model = make_model(self.args.model, self.args.variant)
        self.opt = torch.optim.Adam(self.model.parameters(), lr=self.args.lr)

    def train_pass(self, samples, max_batches=None):
        """One shuffled pass over the first `samples` training samples (the same loop in every framework)."""
        self.model.train()
        order = torch.randperm(samples, generator=self.gen)
        b = self.args.batch
        loss = None
        batches = 0
        for start in range(0, samples, b):
            if max_batches is not None and batches >= max_batches:
                break
            idx = order[start:start + b]
            x, y = self.x_train[idx], self.y_train[idx]
            self.opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(self.model(x), y)
            loss.backward()
            self.opt.step()
            batches += 1
        return float(loss), batches

    def predict(self, x):
        self.model.eval()
        out = []
        with torch.no_grad():
            for start in range(0, x.shape[0], self.args.infer_batch):
                out.append(self.model(x[start:start + self.args.infer_batch]).argmax(1))
        return torch.cat(out)

    def handle(self, cmd, arg):
        if cmd == "info":
            return {"framework": "pytorch", "version": torch.__version__, "model": self.args.model,
                    "variant": self.args.variant, "threads": torch.get_num_threads(),
                    "blas": blas_name()}
        if cmd == "gemm":
            n, reps = int(arg[0]), int(arg[1])
            a, b = torch.randn(n, n), torch.randn(n, n)
            for _ in range(2):
                a @ b
            best = float("inf")
            times = []
            for _ in range(reps):
                t = time.perf_counter()
                a @ b
                times.append(time.perf_counter() - t)
            times.sort()
            flops = 2.0 * n ** 3
            return {"n": n, "gflops_median": flops / times[len(times) // 2] / 1e9, "gflops_best": flops / times[0] / 1e9}
        if cmd == "warmup":
            t = time.perf_counter()
            loss, batches = self.train_pass(self.x_train.shape[0], max_batches=int(arg[0]))
            return {"seconds": time.perf_counter() - t, "batches": batches, "loss": loss}
        if cmd == "train":
            samples = min(int(arg[0]), self.x_train.shape[0])
            t = time.perf_counter()
            loss, batches = self.train_pass(samples)
            return {"seconds": time.perf_counter() - t, "samples": samples, "batches": batches, "loss": loss}
        if cmd == "infer":
            samples = min(int(arg[0]), self.x_test.shape[0])
            t = time.perf_counter()
            self.predict(self.x_test[:samples])
            return {"seconds": time.perf_counter() - t, "samples": samples}
        if cmd == "epoch":
            samples = min(int(arg[0]), self.x_train.shape[0])
            n_test = min(int(arg[1]) if len(arg) > 1 else self.x_test.shape[0], self.x_test.shape[0])
            self.reset()
            t = time.perf_counter()
            loss, batches = self.train_pass(samples)
            seconds = time.perf_counter() - t
            acc = float((self.predict(self.x_test[:n_test]) == self.y_test[:n_test]).float().mean())
            return {"seconds": seconds, "samples": samples, "test_samples": n_test, "loss": loss, "accuracy": acc}
        raise ValueError("unknown command " + cmd)


def blas_name():
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower()}
        return ", ".join(sorted(os.path.basename(x) for x in libs)) or "unknown"
    except OSError:
        return "unknown"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", choices=["mlp", "cnn"], required=True)
    p.add_argument("--variant", choices=["full", "plain"], default="full")
    p.add_argument("--data", required=True)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--infer-batch", type=int, default=128)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=42)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    worker = Worker(args)
    print("@@READY", flush=True)
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "quit":
            break
        try:
            result = worker.handle(parts[0], parts[1:])
        except Exception as e:  # report, keep serving
            result = {"error": "%s: %s" % (type(e).__name__, e)}
        print("@@RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
