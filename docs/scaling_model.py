#!/usr/bin/env python3
"""The speed-up model of docs/scaling.md: prints its tables and writes scaling.svg (no dependencies).

Inputs (see the doc for where each comes from): per-sample training time of the bench MLP and CNN, their
parameter counts, the serialization rate and the per-job overhead measured by StepTimes, a 10 Gbit/s network.
"""
import math

BANDWIDTH = 10e9 / 8          # bytes/s, 10 Gbit/s
SER_RATE = 2.0e9              # bytes/s, safetensors encode or decode (StepTimes: 2 x 7.45 MB in 7.5 ms)
OVERHEAD = {"measured": 0.055, "tuned": 0.010}  # s, Spark's fixed cost of a job (StepTimes' smallest comm)
INPUT_BYTES = 784 * 4         # one Fashion-MNIST sample, float32
BATCH = 128
MODELS = {
    # name: (parameters, seconds a sample for forward + backward + Adam, from bench/README's samples/s)
    "MLP": (671_754, 1 / 7251),
    "CNN": (421_834, 1 / 1028),
}
WORKERS = [1, 2, 8, 16, 64]


def step_time(params, per_sample, workers, batch, overhead, every=1):
    """Seconds per optimizer step (per local step when every > 1) with `workers` workers."""
    compute = per_sample * batch / workers
    if workers == 1 and every == 1 and overhead == 0:
        return compute
    p = 4 * params
    # driver encode, worker decode, worker encode, driver decode; plus decode-add-encode at each tree level
    levels = 0 if workers == 1 else (1 if workers <= 2 else 2)
    ser = 4 * p / SER_RATE + levels * 3 * p / SER_RATE
    # torrent broadcast, bounded by a binomial tree of whole copies
    broadcast = math.ceil(math.log2(workers + 1)) * p / BANDWIDTH
    # treeAggregate depth 2: sqrt(W) partial sums of sqrt(W) gradients each, then sqrt(W) sums to the driver
    fan = math.ceil(math.sqrt(workers))
    aggregate = 2 * fan * p / BANDWIDTH
    # every step's data goes from the driver with the tasks, whatever the sync
    data = batch * INPUT_BYTES / BANDWIDTH
    sync = ser + broadcast + aggregate + overhead
    return compute + data + sync / every


def table(title, rows):
    print(f"\n{title}\n")
    print("| model | overhead | " + " | ".join(f"W={w}" for w in WORKERS) + " |")
    print("| --- | --- | " + " | ".join("---" for _ in WORKERS) + " |")
    for name, overhead, values in rows:
        print(f"| {name} | {overhead} | " + " | ".join(f"{v:.2f}" for v in values) + " |")


def main():
    curves = {}
    strong, weak, avg = [], [], []
    for name, (params, per_sample) in MODELS.items():
        one = per_sample * BATCH
        for label, overhead in OVERHEAD.items():
            # strong scaling: the batch of 128 split W ways; speed-up of a step
            strong.append((name, label, [one / step_time(params, per_sample, w, BATCH, overhead) for w in WORKERS]))
            # weak scaling: 128 samples per worker, batch 128 W; speed-up of samples per second
            values = [w * one / step_time(params, per_sample, w, BATCH * w, overhead) for w in WORKERS]
            weak.append((name, label, values))
            curves[f"{name} gradients ({label})"] = values
        for every in (8, 32):
            overhead = OVERHEAD["measured"]
            values = [w * one / step_time(params, per_sample, w, BATCH * w, overhead, every) for w in WORKERS]
            avg.append((name, f"every {every}", values))
            curves[f"{name} average every {every}"] = values
    table("Gradient sync, batch 128 split between W workers: speed-up of a step", strong)
    table("Gradient sync, 128 samples per worker (batch 128 W): speed-up of samples/s", weak)
    table("Averaging every K local steps, 128 samples per worker, measured overhead: speed-up of samples/s", avg)
    svg(curves)


def svg(curves):
    width, height, left, bottom = 640, 400, 60, 40
    xmax, ymax = math.log2(64), 64.0
    def x(w):
        return left + (width - left - 20) * math.log2(w) / xmax
    def y(s):
        return height - bottom - (height - bottom - 20) * math.log2(max(s, 0.25) * 4) / math.log2(ymax * 4)
    colors = ["#1f77b4", "#aec7e8", "#d62728", "#ff9896", "#2ca02c", "#98df8a", "#9467bd", "#c5b0d5"]
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif"'
           ' font-size="11">', f'<rect width="{width}" height="{height}" fill="white"/>']
    for w in WORKERS:
        out.append(f'<line x1="{x(w):.1f}" y1="20" x2="{x(w):.1f}" y2="{height - bottom}" stroke="#eee"/>')
        out.append(f'<text x="{x(w):.1f}" y="{height - bottom + 15}" text-anchor="middle">{w}</text>')
    for s in (0.25, 1, 4, 16, 64):
        out.append(f'<line x1="{left}" y1="{y(s):.1f}" x2="{width - 20}" y2="{y(s):.1f}" stroke="#eee"/>')
        out.append(f'<text x="{left - 5}" y="{y(s) + 4:.1f}" text-anchor="end">{s:g}</text>')
    out.append(f'<text x="{(width + left) / 2}" y="{height - 5}" text-anchor="middle">workers (10 Gbit/s)</text>')
    out.append(f'<text x="15" y="{height / 2}" transform="rotate(-90 15 {height / 2})" text-anchor="middle">'
               'speed-up of samples/s (128 per worker)</text>')
    out.append(f'<polyline fill="none" stroke="#999" stroke-dasharray="4 3" points="'
               + " ".join(f"{x(w):.1f},{y(w):.1f}" for w in WORKERS) + '"/>')
    for i, (name, values) in enumerate(curves.items()):
        color = colors[i % len(colors)]
        out.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="'
                   + " ".join(f"{x(w):.1f},{y(v):.1f}" for w, v in zip(WORKERS, values)) + '"/>')
        out.append(f'<rect x="{left + 10}" y="{24 + 14 * i}" width="10" height="3" fill="{color}"/>')
        out.append(f'<text x="{left + 25}" y="{29 + 14 * i}">{name}</text>')
    out.append("</svg>")
    with open("scaling.svg", "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
