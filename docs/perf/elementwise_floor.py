"""The other floor: the elementwise work of one `gan` iteration alone, with NumPy, no matrix products.

    python docs/perf/elementwise_floor.py --hidden 128 --dtype float32

`docs/perf/gemm_floor.py` times only the matrix products of an iteration. This times the
elementwise operations that a hand-written MLP GAN iteration cannot avoid, at the same shapes,
written the way minigan 0.1.0 wrote them (in place, no temporaries beyond a ReLU's mask; 0.2.0's
core is written plainly, see docs/perf/tricks.md):

    16 bias additions    y += b                  (G forward ×2, D forward on 2B and on B)
    12 ReLUs             (a + |a|)/2
     9 ReLU backwards    δ ⊙ 1[h > 0]            (D on 2B, D on B for the G step, G)
     8 bias gradients    Σ_n δ                   (D on 2B, G)
     2 Adam updates      of θ_D and θ_G (flat vectors, minigan.optim.Adam)

Arrays of one shape are reused and the ReLU masks are made once, so this is a best case (a lower
bound), not a model of minigan's step. It prints one JSON line with the milliseconds per
iteration. NumPy's ufuncs run on one core, whatever the BLAS thread count. Benchmark tooling,
not part of the package.
"""
import argparse
import json
import time

import numpy as np

from minigan.optim import Adam

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument("--hidden", type=int, default=128)
p.add_argument("--batch", type=int, default=256)
p.add_argument("--depth", type=int, default=3)
p.add_argument("--z-dim", type=int, default=2)
p.add_argument("--dtype", default="float64")
p.add_argument("--repeats", type=int, default=200)
a = p.parse_args()
dt, B, H, L = np.dtype(a.dtype), a.batch, a.hidden, a.depth
rng = np.random.default_rng(0)


_pool = {}


def arrays(rows, widths):
    """One array per shape, reused: the data stays in cache, as it does in a real iteration (each
    elementwise operation reads what the matrix product before it has just written)."""
    return [_pool.setdefault((rows, w), rng.standard_normal((rows, w)).astype(dt)) for w in widths]


hidden = [H] * L
# (rows, widths of the Linear outputs) of the four forward passes of one iteration
forwards = [(B, hidden + [2]), (2 * B, hidden + [1]), (B, hidden + [2]), (B, hidden + [1])]
acts = [(rows, arrays(rows, ws)) for rows, ws in forwards]
biases = {w: rng.standard_normal(w).astype(dt) for w in (H, 2, 1)}
relu_bwd = arrays(2 * B, hidden) + arrays(B, hidden) + arrays(B, hidden)   # D(2B), D(B), G(B)
masks = [h > 0 for h in relu_bwd]
sums = arrays(2 * B, hidden + [1]) + arrays(B, hidden + [2])             # D(2B), G(B)


def n_params(i, o):
    dims = [i] + hidden + [o]
    return sum(m * n + n for m, n in zip(dims[:-1], dims[1:]))


opts = [Adam({"theta": np.zeros(n_params(i, o), dt)}, lr=2e-4, betas=(0.5, 0.999))
        for i, o in ((2, 1), (a.z_dim, 2))]
grads = [{"theta": rng.standard_normal(o.params["theta"].size).astype(dt)} for o in opts]


def iteration():
    for _, ys in acts:
        for i, y in enumerate(ys):
            y += biases[y.shape[1]]
            if i < L:                               # hidden layers: ReLU in place
                np.add(y, np.abs(y), out=y)
                y *= 0.5
    for d, m in zip(relu_bwd, masks):
        np.multiply(d, m, out=d)
    for d in sums:
        d.sum(axis=0)
    for o, g in zip(opts, grads):
        o.step(g)


for _ in range(10):
    iteration()
best = float("inf")
for _ in range(5):
    t = time.perf_counter()
    for _ in range(a.repeats // 5):
        iteration()
    best = min(best, (time.perf_counter() - t) / (a.repeats // 5))
print(json.dumps({"floor": "elementwise", "hidden": H, "batch": B, "depth": L, "dtype": a.dtype,
                  "ms_per_iter": 1e3 * best}))
