"""Where the samples that are not high quality go: distance to the nearest centre, in data stds.

    python docs/remedies/where.py remedies/report/runs/grid25-wgan-gp-x2-seed5 …

For each finished run folder it draws G's samples of the run's fixed evaluation noise (the same
2,500 the high-quality metric counts, so the first three bins add up to its % HQ) and prints the
share of samples at each distance d from their nearest centre, in units of the mixture's std σ:

    0–3 σ: high quality · 3–6 σ: just outside a mode · 6–20 σ and beyond: between the modes

A perfect sampler of a 2-D Gaussian mixture puts 98.9 % within 3 σ, 1.1 % in 3–6 σ and 0 % beyond
(P(d > 6σ) = e^{−18}). G is continuous and its noise z one Gaussian blob, so to reach 25 separate
modes it must stretch z across the gaps; the samples from the stretched parts land between the
modes (the "bridges" of the figures), and only steeper G (larger weights) makes them fewer.
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))
from minigan.metrics import nearest_mode  # noqa: E402  (the repository's minigan)
from minigan.runs.run import resume            # noqa: E402

BINS = [0, 3, 6, 20, np.inf]
NAMES = ["≤ 3 σ (HQ)", "3–6 σ", "6–20 σ", "> 20 σ"]


def profile(run_dir):
    """Shares (percent, summing to 100) of the evaluation samples in each BINS interval."""
    trainer, _, _ = resume(run_dir, {})
    x = trainer.generate(trainer.z_eval).astype(np.float64)
    d = nearest_mode(x, trainer.data.centers).dist / trainer.data.std       # (N,) in σ
    return 100 * np.histogram(d, BINS)[0] / len(d)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("runs", nargs="+", help="finished run folders of a 2-D mixture (ring8, grid25)")
    a = p.parse_args(argv)
    print("| run | " + " | ".join(NAMES) + " |")
    print("|---|" + "---|" * len(NAMES))
    shares = []
    for run in a.runs:
        shares.append(profile(run))
        print(f"| {os.path.basename(os.path.normpath(run))} | "
              + " | ".join(f"{v:.1f}" for v in shares[-1]) + " |")
    if len(shares) > 1:
        print(f"| mean of {len(shares)} | " + " | ".join(f"{v:.1f}" for v in np.mean(shares, 0)) + " |")


if __name__ == "__main__":
    main()
