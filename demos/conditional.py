"""A plain GAN draws a random class; a conditional GAN draws the class you ask for.

Trains two generators on the same data with the same settings — one unconditional, one with
the one-hot label concatenated to z (for G) and to x (for D), Mirza & Osindero 2014 — and draws:
the unconditional samples (no way to ask for a class), the conditional samples coloured by the
class asked for, and one small panel per requested class. Prints the per-class accuracy
(fraction of samples asked for class k that land as high-quality samples at mode k).

    python demos/conditional.py                      # ring8, the `minigan train` defaults
    python demos/conditional.py --data grid25 --steps 6000
    python demos/conditional.py --quick              # a few seconds, for a smoke test
"""
import argparse
import math
import os

import numpy as np

from minigan.config import TrainConfig
from minigan.plots import class_colors
from minigan.train import Trainer


def train(cfg, quiet):
    t = Trainer(cfg)
    for i in range(t.cfg.steps):
        t.train_step()
        if not quiet and (i + 1) % 1000 == 0:
            print(f"  {'conditional' if cfg.conditional else 'plain'}: step {i + 1}/{t.cfg.steps}")
    return t


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", default="ring8", choices=["ring8", "grid25", "bimodal", "mixture1d"])
    p.add_argument("--steps", type=int, default=None, help="default: minigan train's")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default="conditional.png")
    p.add_argument("--quick", action="store_true", help="tiny networks, 200 steps")
    a = p.parse_args(argv)
    kw = dict(data=a.data, seed=a.seed)
    if a.quick:
        kw.update(steps=200, hidden=16, depth=2, eval_samples=500)
    if a.steps is not None:
        kw["steps"] = a.steps
    plain = train(TrainConfig(**kw), a.quick)
    cond = train(TrainConfig(**kw, conditional=True), a.quick)

    data, K = cond.data, cond.n_classes
    x_plain = plain.generate(plain.z_eval)
    x_cond = cond.generate(cond.z_eval, cond.labels_eval)
    acc = cond.class_accuracy(x_cond)
    m_plain = plain.sample_metrics(x_plain)
    print(f"{a.data}, seed {a.seed}, {cond.step} steps")
    print(f"  plain GAN:       modes {m_plain['modes_captured']}/{m_plain['modes_total']}, "
          f"high quality {m_plain['high_quality_frac']:.3f} (no way to ask for a class)")
    print(f"  conditional GAN: per-class accuracy mean {np.mean(acc):.3f}, "
          f"min {np.min(acc):.3f} (class {int(np.argmin(acc))})")

    from matplotlib.figure import Figure
    cols = math.ceil(math.sqrt(K))
    rows = math.ceil(K / cols)
    fig = Figure(figsize=(12, 6), layout="constrained")
    left, right = fig.subfigures(1, 2, width_ratios=[2, 1.1])
    ax1, ax2 = left.subplots(1, 2)
    colors = class_colors(K)
    if data.dim == 2:
        ax1.scatter(*x_plain[:1500].T, s=3, c="gray")
        ax2.scatter(*x_cond[:1500].T, s=3, c=colors[cond.labels_eval[:1500]])
        for ax in (ax1, ax2):
            ax.scatter(*data.centers.T, marker="x", c="k", s=20)
            ax.set_xlim(*data.bounds[:2])
            ax.set_ylim(*data.bounds[2:])
            ax.set_aspect("equal")
    else:
        ax1.hist(x_plain[:, 0], bins=100, range=data.bounds, color="gray")
        ax2.hist([x_cond[cond.labels_eval == k, 0] for k in range(K)], bins=100,
                 range=data.bounds, stacked=True, color=colors)
    ax1.set_title(f"plain GAN: a random class\n{m_plain['modes_captured']}/{K} modes, "
                  f"{100 * m_plain['high_quality_frac']:.0f} % high quality", fontsize=10)
    ax2.set_title(f"conditional GAN: colour = class asked for\nper-class accuracy "
                  f"{np.mean(acc):.3f}", fontsize=10)
    axs = np.atleast_1d(right.subplots(rows, cols)).ravel()
    for k, ax in enumerate(axs):
        ax.set_xticks([])
        ax.set_yticks([])
        if k >= K:
            ax.set_visible(False)
            continue
        xk = x_cond[cond.labels_eval == k]
        if data.dim == 2:
            ax.scatter(*data.centers.T, c="lightgray", s=8)
            ax.scatter(*xk.T, s=2, color=colors[k])
            ax.set_xlim(*data.bounds[:2])
            ax.set_ylim(*data.bounds[2:])
            ax.set_aspect("equal")
        else:
            ax.hist(xk[:, 0], bins=60, range=data.bounds, color=colors[k])
        ax.set_title(f"class {k}: {acc[k]:.2f}", fontsize=7)
    right.suptitle("asked for one class at a time", fontsize=10)
    fig.suptitle(f"{a.data}: the same data and settings, seed {a.seed}, {cond.step} steps")
    fig.savefig(a.out)
    print(f"wrote {os.path.abspath(a.out)}")


if __name__ == "__main__":
    main()
