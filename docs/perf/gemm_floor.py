"""The GEMM floor: how fast one training iteration could run if only its matrix products cost time.

    python docs/perf/gemm_floor.py --loss gan --hidden 128 --dtype float64

A hand-written MLP GAN iteration (the workload of `minigan bench` and docs/perf/torch_peer.py)
cannot avoid certain matrix products. For each Linear layer (D_in → D_out) on a batch of B rows:

    forward        x · W         (B, D_in) @ (D_in, D_out)
    input grad     δ · Wᵀ        (B, D_out) @ (D_out, D_in)
    weight grad    xᵀ · δ        (D_in, B) @ (B, D_out)

Counted per iteration (G: z_dim → H×depth → 2, D: 2 → H×depth → 1):

    one D update   G forward (no grad); D forward on the real and on the fake batch, and for
                   both the input-grad and weight-grad products
    + wgan-gp      D forward on x̂ and its input gradient; then the double backward, counted as
                   two more forward-sized passes, one input-grad pass and two weight-grad passes
    G update       G forward, input and weight grads; D forward and input grads (to reach G)

n_critic D updates (1 for gan, 5 otherwise) and one G update make an iteration. The script builds
random matrices of exactly these shapes, times the list of products (best of --repeats) and prints
one JSON line: {"floor": "gemm", "loss", "hidden", "dtype", "gemms", "gflop_per_iter",
"iters_per_s_ceiling", "gflops"}. `iters_per_s_ceiling` is what a perfect implementation, with all
elementwise work free, could reach with this BLAS; `minigan bench` divided by it is the fraction of
that limit reached. docs/perf/torch_gemm_floor.py reruns this file with torch tensors.
Benchmark tooling, not part of the package.
"""
import argparse
import json
import time

import numpy as np


def linear_products(n_in, n_out, hidden, depth, batch, forward=1, input_grad=1, weight_grad=1):
    """(m, k, n) of every product of passes through the MLP n_in → hidden×depth → n_out."""
    widths = [n_in] + [hidden] * depth + [n_out]
    out = []
    for d_in, d_out in zip(widths[:-1], widths[1:]):
        out += [(batch, d_in, d_out)] * forward         # x · W
        out += [(batch, d_out, d_in)] * input_grad      # δ · Wᵀ
        out += [(d_in, batch, d_out)] * weight_grad     # xᵀ · δ
    return out


def iteration_products(loss, hidden, depth, batch, z_dim=2):
    """Every (m, k, n) matrix product of one training iteration, in order."""
    def G(*counts):
        return linear_products(z_dim, 2, hidden, depth, batch, *counts)

    def D(*counts):
        return linear_products(2, 1, hidden, depth, batch, *counts)

    d_update = G(1, 0, 0) + D(2, 2, 2)              # fakes; D on real and fake, full backward
    if loss == "wgan-gp":
        d_update += D(1, 1, 0) + D(2, 1, 2)          # ∇ₓD(x̂), then the double backward
    g_update = G(1, 1, 1) + D(1, 1, 0)
    n_critic = 1 if loss == "gan" else 5
    return d_update * n_critic + g_update


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--loss", choices=["gan", "wgan", "wgan-gp"], default="gan")
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--depth", type=int, default=3)
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--z-dim", type=int, default=2)
    p.add_argument("--dtype", default="float64")
    p.add_argument("--repeats", type=int, default=20, help="timed passes; the fastest counts")
    a = p.parse_args()
    dt = np.dtype(a.dtype)

    products = iteration_products(a.loss, a.hidden, a.depth, a.batch, a.z_dim)
    # np.random.default_rng is looked up at call time: torch_gemm_floor.py replaces it so that
    # the same code multiplies torch tensors (only `x @ w` touches the matrices below)
    rng = np.random.default_rng(0)
    pairs = [(rng.standard_normal((m, k)).astype(dt), rng.standard_normal((k, n)).astype(dt))
             for m, k, n in products]

    for x, w in pairs:                               # warm up BLAS and the caches
        x @ w
    best = float("inf")
    for _ in range(a.repeats):
        t0 = time.perf_counter()
        for x, w in pairs:
            x @ w
        best = min(best, time.perf_counter() - t0)

    flop = sum(2 * m * k * n for m, k, n in products)
    print(json.dumps({"floor": "gemm", "loss": a.loss, "hidden": a.hidden, "dtype": a.dtype,
                      "gemms": len(products), "gflop_per_iter": flop / 1e9,
                      "iters_per_s_ceiling": 1 / best, "gflops": flop / best / 1e9}))


if __name__ == "__main__":
    main()
