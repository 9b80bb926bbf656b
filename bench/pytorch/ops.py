"""Op-level timings in PyTorch at the shapes of bench/profile's libnd4j table (batch 128, float32).

Run: LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OMP_NUM_THREADS=2 python3 bench/pytorch/ops.py
"""
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(2)
N = 128


def median_ms(fn, reps=20):
    for _ in range(3):
        fn()
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    return times[len(times) // 2]


def row(name, ms):
    print(f"  {name:<58} {ms:9.3f} ms")


def forward_backward(name, make, shape, *weights):
    x = torch.randn(*shape, requires_grad=True)
    y = make(x, *weights)
    g = torch.randn_like(y)
    row(name + " forward " + str(list(shape)), median_ms(lambda: make(x, *weights)))
    row(name + " backward " + str(list(shape)),
        median_ms(lambda: torch.autograd.grad(make(x, *weights), [x, *weights], g)) - median_ms(lambda: make(x, *weights)))


def mm(m, k, n, transpose_a=False, transpose_b=False):
    """[m x k] @ [k x n] with an operand stored transposed, labelled as bench/profile's OpProfile labels it."""
    with torch.no_grad():
        a = torch.randn(k, m).t() if transpose_a else torch.randn(m, k)
        b = torch.randn(n, k).t() if transpose_b else torch.randn(k, n)
        ms = median_ms(lambda: a @ b)
    label = "matmul [" + (f"{k}x{m}]^T" if transpose_a else f"{m}x{k}]") + " @ [" + \
        (f"{n}x{k}]^T" if transpose_b else f"{k}x{n}]")
    print(f"  {label:<58} {ms:9.3f} ms {2.0 * m * k * n / ms / 1e6:7.1f} GFLOP/s")


# The same matmuls as OpProfile's table: the MLP's dense layers (forward, input and weight gradients) and
# the CNN's first dense layer.
mm(1024, 1024, 1024)
mm(N, 784, 512)
mm(784, N, 512, transpose_a=True)
mm(N, 512, 512)
mm(N, 512, 512, transpose_b=True)
mm(512, N, 512, transpose_a=True)
mm(N, 512, 10)
mm(N, 10, 512, transpose_b=True)
mm(512, N, 10, transpose_a=True)
mm(N, 3136, 128)
mm(3136, N, 128, transpose_a=True)
w1 = torch.randn(32, 1, 3, 3, requires_grad=True)
w2 = torch.randn(64, 32, 3, 3, requires_grad=True)
forward_backward("conv2d", lambda x, w: F.conv2d(x, w, padding=1), (N, 1, 28, 28), w1)
forward_backward("conv2d", lambda x, w: F.conv2d(x, w, padding=1), (N, 32, 14, 14), w2)
forward_backward("max_pool2d", lambda x: F.max_pool2d(x, 2), (N, 32, 28, 28))
forward_backward("max_pool2d", lambda x: F.max_pool2d(x, 2), (N, 64, 14, 14))
forward_backward("relu", F.relu, (N, 32, 28, 28))
for shape in [(N, 32, 28, 28), (N, 64, 14, 14)]:
    c = shape[1]
    gamma, beta = torch.ones(c, requires_grad=True), torch.zeros(c, requires_grad=True)
    forward_backward("batch_norm (training)", lambda x, g_, b_: F.batch_norm(
        x, None, None, g_, b_, training=True), shape, gamma, beta)
