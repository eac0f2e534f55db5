r"""The Lipschitz constraint made visible: ‖∇ₓD‖ of a WGAN critic, clipped vs gradient-penalised.

Two ReLU critics D: R² → R are trained against the *same fixed pair* of distributions — real =
ring8 (8 Gaussians on a circle of radius 2), fake = N(0, 0.5²I) — to maximise the Wasserstein
estimate E D(x) − E D(x̃) (``losses.d_wgan``), under the two ways of keeping D 1-Lipschitz:

  clip   RMSProp 5e-5, every weight clipped to [−0.01, 0.01] after each step (Arjovsky et al. 2017)
  gp     Adam 1e-4, β = (0.5, 0.9), + λ·E(‖∇D(x̂)‖ − 1)² at random interpolates x̂
         (Gulrajani et al. 2017; ``minigan.penalties``)

and the heat map of ‖∇ₓD(x)‖ over [−3, 3]² is drawn side by side, with the real and fake points.
The script prints ‖∇D‖ over the grid and at interpolates x̂ for both critics.

What it shows (MLP [2, 64, 64, 64, 1] ReLU, batch 256, 3000 steps, seeds 0 and 1):

- gradient penalty, λ = 10: ‖∇D‖ at interpolates has mean 1.07, 92–96 % of them in [0.9, 1.1];
  E D(x) − E D(x̃) ≈ 1.5. The penalty is soft: a critic of uniform slope k trades −k·W against
  λ(k − 1)² and settles at k = 1 + W/(2λ) ≈ 1 + 1.45/20 = 1.07, as measured. With the toy
  script's λ = 0.1 (``--lam 0.1``) the same formula gives k ≈ 8, and 8.0 is what is measured.
- weight clipping, c = 0.01: ‖∇D‖ ≈ 5e-4 everywhere — clipping bounds the weights, not the
  gradient, and by 3000 steps the critic has saturated (≈ 93 % of the hidden weights sit at ±c;
  10,000 steps change nothing). Its Lipschitz constant is whatever c and the architecture make
  it, here ~2000× below 1, and the heat map is a few large flat facets: the "too simple"
  critics of Gulrajani et al. 2017, Fig. 1.

    python demos/lipschitz.py                 # ~10 s of CPU, writes lipschitz.png
    python demos/lipschitz.py --quick         # 200 steps, ~1 s
"""
import argparse
import os
import time

# 64-wide layers: BLAS threads cost more than they save (and thrash on a busy machine)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from minigan.losses import d_wgan  # noqa: E402
from minigan.mlp import MLP  # noqa: E402
from minigan.optim import Adam, RMSProp, clip_weights  # noqa: E402
from minigan.penalties import gradient_penalty, input_grad, interpolate  # noqa: E402

BOX = 3.0          # the heat map covers [−BOX, BOX]²
FAKE_STD = 0.5     # fake = N(0, FAKE_STD² I), fixed: only the critic learns


def sample_real(n, rng):
    """ring8 from minigan.data: x (N, 2)."""
    from minigan.data import get_dataset
    return get_dataset("ring8").sample(n, rng)[0]


def sample_fake(n, rng):
    return FAKE_STD * rng.standard_normal((n, 2))


def train_critic(mode, steps, batch, width, lam, rng):
    r"""Train a critic D = MLP([2, H, H, H, 1]) with mode "clip" or "gp"; returns D.

    One step: loss = E D(x̃) − E D(x) (+ the penalty), grads by two backward passes (+ the
    penalty's own double backprop), an optimizer step (then the clip, for "clip").
    """
    D = MLP([2, width, width, width, 1], "relu", rng=rng)
    if mode == "clip":
        opt = RMSProp(D.params, lr=5e-5)
    else:
        opt = Adam(D.params, lr=1e-4, betas=(0.5, 0.9))
    for _ in range(steps):
        x_real, x_fake = sample_real(batch, rng), sample_fake(batch, rng)
        # forward
        y_real, c_real = D.forward(x_real)
        y_fake, c_fake = D.forward(x_fake)
        # loss and backward
        loss = d_wgan(y_real, y_fake)
        _, g_real = D.backward(loss.d_real, c_real, need_dx=False)
        _, g_fake = D.backward(loss.d_fake, c_fake, need_dx=False)
        grads = {k: g_real[k] + g_fake[k] for k in D.params}
        if mode == "gp":
            pen = gradient_penalty(D, interpolate(x_real, x_fake, rng), lam)
            for k in grads:
                grads[k] += pen.grads[k]
        # update
        opt.step(grads)
        if mode == "clip":
            clip_weights(D.params, 0.01)
    return D


def grad_norm(D, x):
    """‖∇ₓD(x_n)‖ for each row of x (N, 2) -> (N,)."""
    g, _ = input_grad(D, x)
    return np.linalg.norm(g, axis=1)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--steps", type=int, default=3000, help="steps per critic (default 3000)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--lam", type=float, default=10.0, help="gradient-penalty weight λ (default 10)")
    p.add_argument("--out", default="lipschitz.png")
    p.add_argument("--quick", action="store_true", help="200 steps, coarse grid: a few seconds")
    args = p.parse_args(argv)
    if args.steps < 1:
        p.error("--steps must be ≥ 1")

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    steps = 200 if args.quick else args.steps
    n_grid = 64 if args.quick else 128
    batch, width = 256, 64
    rng = np.random.default_rng(args.seed)
    u = np.linspace(-BOX, BOX, n_grid)
    grid = np.stack(np.meshgrid(u, u), axis=-1).reshape(-1, 2)       # (n_grid², 2), row = y
    x_real, x_fake = sample_real(512, rng), sample_fake(512, rng)
    x_hat = interpolate(x_real, x_fake, rng)                         # (512, 2)

    fig, axes = plt.subplots(1, 2, figsize=(11, 5))
    for ax, mode in zip(axes, ("clip", "gp")):
        t0 = time.perf_counter()
        D = train_critic(mode, steps, batch, width, args.lam, rng)
        seconds = time.perf_counter() - t0
        norm_grid, norm_hat = grad_norm(D, grid), grad_norm(D, x_hat)
        w1 = float(np.mean(D(x_real)) - np.mean(D(x_fake)))
        label = ("weight clipping (c = 0.01)" if mode == "clip"
                 else f"gradient penalty (λ = {args.lam:g})")
        print(f"{label:32s} {steps} steps in {seconds:5.1f} s   E D(x) − E D(x̃) = {w1:.3g}")
        print(f"    ‖∇D‖ on the grid:      mean {norm_grid.mean():.3g}   max {norm_grid.max():.3g}")
        print(f"    ‖∇D‖ at interpolates:  mean {norm_hat.mean():.3g}   max {norm_hat.max():.3g}   "
              f"share in [0.9, 1.1]: {np.mean(np.abs(norm_hat - 1) <= 0.1):.0%}")
        im = ax.imshow(norm_grid.reshape(n_grid, n_grid), origin="lower", cmap="viridis",
                       extent=(-BOX, BOX, -BOX, BOX))
        fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04, label="‖∇ₓD(x)‖")
        ax.scatter(*x_real[:128].T, s=4, c="tab:orange", label="real (ring8)")
        ax.scatter(*x_fake[:128].T, s=4, c="white", label="fake N(0, 0.5²I)")
        ax.set_title(f"{label}\nmean ‖∇D‖ at interpolates = {norm_hat.mean():.3g}")
        ax.set_xlim(-BOX, BOX)
        ax.set_ylim(-BOX, BOX)
        ax.set_aspect("equal")
    axes[0].legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    fig.savefig(args.out, dpi=120)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
