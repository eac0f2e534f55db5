r"""The pictures of the mode-collapse study (docs/study/): the sweep's grid and mode hopping.

    grid_figures(out, planned)   DIR/grid.png (every run) and DIR/grid-{data}.png: the final
                                 samples of each run over the true centres, rows = losses,
                                 columns = seeds, each panel titled with modes / % high quality
    modes_figure(out, planned)   DIR/modes.png: modes captured over training, every run
    mode_trace(trainer, every)   train one run in-process and record, every `every` steps, how
                                 many of the fixed evaluation samples sit at each mode
    hopping_figure(trace, path)  that record as a picture: which modes G covers, step by step

    python -m minigan.study --data ring8 --loss gan --seed 0 --steps 4000 --every 25 --out DIR
writes DIR/mode_trace.csv and DIR/mode_hopping.png for one configuration (any train option,
--conditional too: then G is asked for the fixed evaluation labels, the real reference set's).
"""
import argparse
import csv
import os
import sys

import numpy as np

from .config import ConfigError, TrainConfig
from .metrics import mode_coverage
from .curves import read_history
from .plots import figure
from .options import add_config_arguments, config_overrides
from .runfiles import read_json
from .runs import resume
from .train import Trainer


def draw_run(ax, trainer, title):
    """One grid panel: the final samples of a run (orange) over the true centres (black +)."""
    data = trainer.data
    x = trainer.generate(trainer.z_eval, trainer.labels_eval)
    x = np.clip(x, [data.bounds[0], data.bounds[2]], [data.bounds[1], data.bounds[3]])
    ax.scatter(x[:, 0], x[:, 1], s=1, c="tab:orange", alpha=0.4, rasterized=True)
    ax.scatter(data.centers[:, 0], data.centers[:, 1], s=25, c="k", marker="+", lw=0.8)
    ax.set_xlim(*data.bounds[:2])
    ax.set_ylim(*data.bounds[2:])
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=8)


def grid_figures(out, planned):
    """DIR/grid.png with a block of rows per dataset, and DIR/grid-{data}.png for each dataset."""
    datas = list(dict.fromkeys(c["data"] for _, c in planned))
    losses = list(dict.fromkeys(c["loss"] for _, c in planned))
    seeds = list(dict.fromkeys(c["seed"] for _, c in planned))
    where = {(c["data"], c["loss"], c["seed"]): d for d, c in planned}

    def draw(fig, rows):
        axs = np.atleast_2d(fig.subplots(len(rows), len(seeds), squeeze=False))
        for i, (data, loss) in enumerate(rows):
            for j, seed in enumerate(seeds):
                ax, run_dir = axs[i, j], where[(data, loss, seed)]
                if not os.path.exists(os.path.join(run_dir, "metrics.json")):
                    ax.set_axis_off()
                    ax.set_title(f"seed {seed}: not finished", fontsize=8)
                    continue
                m = read_json(os.path.join(run_dir, "metrics.json"))
                trainer, _, _ = resume(run_dir, {})
                draw_run(ax, trainer, f"seed {seed}: {m['modes_captured']}/{m['modes_total']} "
                                      f"modes, {100 * m['high_quality_frac']:.0f} % HQ")
                if j == 0:
                    ax.set_ylabel(f"{data} · {loss}" if len(datas) > 1 else loss, fontsize=10)

    panel = 2.1
    for data in datas:
        rows = [(data, loss) for loss in losses]
        fig = figure(panel * len(seeds), panel * len(rows) + 0.3)
        draw(fig, rows)
        fig.suptitle(f"{data}: final samples (orange) and the true centres (+)", fontsize=10)
        if len(datas) > 1:
            fig.savefig(os.path.join(out, f"grid-{data}.png"))
    if len(datas) > 1:
        rows = [(d, loss) for d in datas for loss in losses]
        narrow = len(seeds) < 4                   # the title on two lines, over ≥ 2 panels' width
        fig = figure(panel * max(len(seeds), 2), panel * len(rows) + 0.3 + 0.3 * narrow)
        draw(fig, rows)
        fig.suptitle("final samples (orange) and the true centres (+);" + "\n" * narrow
                     + " rows: dataset · loss, columns: seeds", fontsize=10 if not narrow else 8)
    fig.savefig(os.path.join(out, "grid.png"))


def modes_figure(out, planned):
    """DIR/modes.png: modes captured against the step (history.csv), a panel per data × loss,
    a line per seed — instability as it happens. Every panel has the same step axis, so a loss
    that ran fewer steps ends early in its panel (the title then gives each loss's steps)."""
    pairs = list(dict.fromkeys((c["data"], c["loss"]) for _, c in planned))
    cols = len(dict.fromkeys(loss for _, loss in pairs))
    rows = -(-len(pairs) // cols)
    hists = {run_dir: read_history(os.path.join(run_dir, "history.csv")) for run_dir, _ in planned
             if os.path.exists(os.path.join(run_dir, "history.csv"))}
    steps = {}                                  # loss -> the most steps any of its runs logged
    for run_dir, c in planned:
        if len(hists.get(run_dir, {}).get("step", [])):
            steps[c["loss"]] = max(steps.get(c["loss"], 0), int(hists[run_dir]["step"][-1]))
    fig = figure(3.2 * cols, 2.6 * rows + 0.4)
    axs = fig.subplots(rows, cols, squeeze=False)
    for ax, (data, loss) in zip(axs.ravel(), pairs):
        total = None
        for run_dir, c in planned:
            h = hists.get(run_dir)
            if (c["data"], c["loss"]) == (data, loss) and h and len(h.get("step", [])):
                ax.plot(h["step"], h["modes_captured"], lw=0.8, label=f"seed {c['seed']}")
                total = int(h["modes_total"][0])
        if total is not None:
            ax.axhline(total, color="0.3", ls=":", lw=1, label=f"all {total} modes")
            ax.set_ylim(-0.5, total + 0.5)
        ax.set_xlim(0, max(steps.values(), default=1))
        ax.set_title(f"{data} · {loss}", fontsize=9)
        ax.set_xlabel("step (G updates)", fontsize=8)
        ax.set_ylabel(f"modes captured{f' (of {total})' if total else ''}", fontsize=8)
        ax.tick_params(labelsize=7)
    axs[0, 0].legend(fontsize=6)
    for ax in axs.ravel()[len(pairs):]:
        ax.set_axis_off()
    title = "Modes captured during training, every run (a line per seed; dotted: all modes)"
    if len(set(steps.values())) > 1:
        title += ("\none step axis for all panels; the losses ran different numbers of steps: "
                  + ", ".join(f"{loss} {n:,}" for loss, n in steps.items()))
    fig.suptitle(title, fontsize=10)
    fig.savefig(os.path.join(out, "modes.png"))


# --- mode hopping ------------------------------------------------------------------------------

def mode_trace(trainer, every):
    """Train `trainer` to trainer.cfg.steps, recording the mode histogram every `every` steps.

    Returns dict: step (T,), counts (T, K) — fixed evaluation samples that are high quality at
    each mode (docs/references.md §5) — and high_quality_frac (T,). A conditional G is asked for the
    fixed evaluation labels (every class equally often), as in the run's own metrics.
    """
    data, steps, counts, hq = trainer.data, [], [], []

    def record():
        x = trainer.generate(trainer.z_eval, trainer.labels_eval)     # labels: conditional only
        mc = mode_coverage(x, data.centers, data.std)
        steps.append(trainer.step)
        counts.append(mc["counts"])
        hq.append(mc["high_quality_frac"])

    record()
    while trainer.step < trainer.cfg.steps:
        trainer.train_step()
        if trainer.step % every == 0:
            record()
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


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m minigan.study",
                                description="record and draw mode hopping for one configuration")
    p.add_argument("--every", type=int, default=25, help="steps between records")
    p.add_argument("--out", default=".", metavar="DIR", help="folder for mode_trace.csv and "
                   "mode_hopping.png")
    add_config_arguments(p)
    args = p.parse_args(argv)
    if args.every < 1:
        p.error(f"--every: must be ≥ 1, got {args.every}")
    try:
        trainer = Trainer(TrainConfig(**config_overrides(args)))
    except ConfigError as e:
        p.error(str(e))
    cfg = trainer.cfg
    if trainer.data.centers is None:
        p.error(f"--data {cfg.data}: the study counts modes; give a mixture (one with centres)")
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


if __name__ == "__main__":
    sys.exit(main())
