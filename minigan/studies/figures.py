r"""The pictures of a sweep (docs/study/): every run's final samples, and modes over training.

    grid_figures(out, planned)   DIR/grid.png (every run) and DIR/grid-{data}.png: the final
                                 samples of each run over the true centres, rows = losses,
                                 columns = seeds, each panel titled with modes / % high quality
    modes_figure(out, planned)   DIR/modes.png: modes captured over training, every run
"""
import os

import numpy as np

from ..pictures.plots import figure
from ..runs.folder import open_run, read_history, read_json


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
                trainer, _ = open_run(run_dir)
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
