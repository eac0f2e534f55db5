r"""``minigan hopping``: mode hopping of one configuration, step by step (docs/study/).

    mode_trace(trainer, every)   train one run in-process and record, every `every` steps, how
                                 many of the fixed evaluation samples sit at each mode
    hopping_figure(trace, path)  that record as a picture: which modes G covers, step by step

    minigan hopping --data ring8 --loss gan --seed 0 --steps 4000 --every 25 --out DIR
writes DIR/mode_trace.csv and DIR/mode_hopping.png for one configuration (any train option,
--conditional too: then G is asked for the fixed evaluation labels, the real reference set's).
"""
import csv
import os

import numpy as np

from ..config import ConfigError, TrainConfig
from ..metrics import mode_coverage
from ..pictures.plots import figure
from ..runs.errors import UsageError
from ..runs.folder import check_fits
from ..runs.options import add_config_arguments, config_overrides
from ..train import Trainer, fit


def mode_trace(trainer, every):
    """Train `trainer` to trainer.cfg.steps, recording the mode histogram every `every` steps.

    Returns dict: step (T,), counts (T, K) — fixed evaluation samples that are high quality at
    each mode (docs/references.md §5) — and high_quality_frac (T,). A conditional G is asked for the
    fixed evaluation labels (every class equally often), as in the run's own metrics.
    """
    data, steps, counts, hq = trainer.data, [], [], []

    def record(row=None):
        x = trainer.generate(trainer.z_eval, trainer.labels_eval)     # labels: conditional only
        mc = mode_coverage(x, data.centers, data.std)
        steps.append(trainer.step)
        counts.append(mc["counts"])
        hq.append(mc["high_quality_frac"])

    fit(trainer, trainer.cfg.steps - trainer.step, every, on_eval=record)
    return {"step": np.array(steps), "counts": np.array(counts), "high_quality_frac": np.array(hq)}


def read_trace(path):
    """Inverse of write_trace."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))[1:]
    a = np.array(rows, dtype=np.float64)
    return {"step": a[:, 0].astype(int), "high_quality_frac": a[:, 1],
            "counts": a[:, 2:].astype(int)}


def write_trace(trace, path):
    K = trace["counts"].shape[1]
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["step", "high_quality_frac"] + [f"mode{k}" for k in range(K)])
        for s, h, c in zip(trace["step"], trace["high_quality_frac"], trace["counts"]):
            w.writerow([int(s), repr(float(h)), *map(int, c)])


def hopping_figure(trace, path, title, n_samples):
    """Top: share of the samples at each mode against the step (bright = many); bottom: modes
    captured (≥ 1 high-quality sample) and the high-quality fraction."""
    s, counts = trace["step"], trace["counts"]                   # (T,), (T, K)
    K = counts.shape[1]
    fig = figure(10, 5.5)
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[2, 1])
    from matplotlib.colors import LogNorm
    share = np.maximum(counts.T, 0.5) / n_samples                 # (K, T); 0 drawn as ½ sample
    im = top.imshow(share, aspect="auto", origin="lower", cmap="magma", interpolation="nearest",
                    extent=[s[0], s[-1], -0.5, K - 0.5], norm=LogNorm(0.5 / n_samples, 1.0))
    fig.colorbar(im, ax=[top, bottom], label="share of samples at mode k (log; black: none)",
                 shrink=0.9)
    top.set_ylabel("mode k")
    top.set_title(title, fontsize=10)
    bottom.step(s, (counts > 0).sum(axis=1), where="post", label="modes captured")
    bottom.set_ylim(-0.3, K + 0.3)
    bottom.set_ylabel("modes captured")
    bottom.set_xlabel("generator step")
    ax2 = bottom.twinx()
    ax2.plot(s, 100 * trace["high_quality_frac"], color="tab:orange", lw=0.8,
             label="% high quality")
    ax2.set_ylim(0, 100)
    ax2.set_ylabel("% high quality", color="tab:orange")
    fig.savefig(path)


def add_hopping_arguments(p):
    p.add_argument("--every", type=int, default=25, help="steps between records (default: 25)")
    p.add_argument("--out", default=".", metavar="DIR", help="folder for mode_trace.csv and "
                   "mode_hopping.png (default: the current folder)")
    add_config_arguments(p)


def run_hopping(args):
    if args.every < 1:
        raise UsageError(f"--every: must be ≥ 1, got {args.every}")
    try:
        cfg = TrainConfig(**config_overrides(args)).resolved()
        check_fits(cfg)
        trainer = Trainer(cfg)
    except ConfigError as e:
        raise UsageError(str(e)) from None
    cfg = trainer.cfg
    if trainer.data.centers is None:
        raise UsageError(f"--data {cfg.data}: the study counts modes; give a mixture (one with centres)")
    trace = mode_trace(trainer, args.every)
    os.makedirs(args.out, exist_ok=True)
    write_trace(trace, os.path.join(args.out, "mode_trace.csv"))
    kind = " · conditional" if cfg.conditional else ""
    title = (f"{cfg.data} · {cfg.loss}{kind} · seed {cfg.seed} (batch {cfg.batch}, "
             f"lr D {cfg.lr_d:g}, G {cfg.lr_g:g}): high-quality samples at each mode, step by step")
    hopping_figure(trace, os.path.join(args.out, "mode_hopping.png"), title, cfg.eval_samples)
    captured = (trace["counts"] > 0).sum(axis=1)
    print(f"modes captured: min {captured.min()}, max {captured.max()}, final {captured[-1]} "
          f"of {trace['counts'].shape[1]}; wrote {args.out}/mode_trace.csv, mode_hopping.png")
    return 0
