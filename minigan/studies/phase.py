r"""Phase diagrams: a sweep over two config fields, summarised per cell, as tables and heat maps.

    minigan phase SWEEP_DIR --rows hidden_d --cols hidden_g --out docs/capacity/capacity

reads every finished run of a ``minigan sweep --vary ROWS=… --vary COLS=…`` folder and writes

    OUT.md / OUT-cells.csv / OUT-runs.csv   per cell mean ± standard error over the seeds; per run
    OUT.png                                 heat maps: final modes, % high quality, instability
    OUT-hq.png                              % high quality over training, every run of every cell
    OUT-zspace.png                          per cell (first seed): the noise plane coloured by the
                                            mode G(z) reaches, at five steps (zspace.py)

Instability, defined before the capacity study was run (docs/capacity/README.md says why):

    hq_spread  the standard deviation of % high quality over the evaluations in the last quarter
               of training, in percentage points. A run that has settled moves by sampling noise
               only (2,500 samples at 90 % HQ: ±0.6 points); oscillation, mode hopping and
               crashes inflate it.
    crashes    quality crashes in the second half of training: evaluations where % high quality
               falls 20 points or more below its best over the preceding 1,000 steps; a run of
               consecutive such evaluations counts once (the study's seed-3 crash is one).
"""
import csv
import math
import os

import numpy as np

from ..runs.errors import UsageError
from ..runs.folder import load_snapshot, read_history, read_json, snapshot_steps
from .summary import mean_se

CRASH_DROP = 20.0       # percentage points below the recent best
CRASH_WINDOW = 1000     # steps: "recent"
METRICS = ("modes_captured", "hq", "hq_spread", "crashes", "seconds")
LABELS = {"modes_captured": "modes captured", "hq": "% high quality",
          "hq_spread": "HQ spread, last quarter (points)", "crashes": "quality crashes, 2nd half",
          "seconds": "seconds"}


def instability(step, hq):
    """(hq_spread, crashes) of one run from its history: step (T,), hq (T,) in percent."""
    end = step[-1]
    last = step >= 0.75 * end
    spread = float(np.std(hq[last], ddof=1)) if last.sum() > 1 else math.nan
    crashes, inside = 0, False
    for i in np.flatnonzero(step >= 0.5 * end):
        recent = hq[(step >= step[i] - CRASH_WINDOW) & (step < step[i])]
        crashed = len(recent) > 0 and hq[i] <= recent.max() - CRASH_DROP
        crashes += crashed and not inside
        inside = crashed
    return spread, crashes


def read_runs(sweep_dir, rows, cols):
    """One dict per finished run: its two field values, seed, final metrics and instability."""
    out = []
    base = os.path.join(sweep_dir, "runs")
    for name in sorted(os.listdir(base)):
        run = os.path.join(base, name)
        if not os.path.exists(os.path.join(run, "metrics.json")):
            continue
        cfg, m = read_json(os.path.join(run, "config.json")), read_json(os.path.join(run, "metrics.json"))
        h = read_history(os.path.join(run, "history.csv"))
        spread, crashes = instability(h["step"], 100 * h["high_quality_frac"])
        out.append({"run": run, rows: cfg[rows], cols: cfg[cols], "seed": cfg["seed"],
                    "modes_captured": m["modes_captured"], "modes_total": m["modes_total"],
                    "hq": 100 * m["high_quality_frac"], "hq_spread": spread, "crashes": crashes,
                    "seconds": m["seconds"], "steps": h["step"], "hq_curve": 100 * h["high_quality_frac"]})
    return out


def cells(runs, rows, cols):
    """{(row value, col value): {metric: (mean, se), "n": seeds}} and the sorted axis values."""
    rv, cv = sorted({r[rows] for r in runs}), sorted({r[cols] for r in runs})
    table = {}
    for a in rv:
        for b in cv:
            group = [r for r in runs if r[rows] == a and r[cols] == b]
            if group:
                table[(a, b)] = {k: mean_se([r[k] for r in group]) for k in METRICS}
                table[(a, b)]["n"] = len(group)
    return table, rv, cv


def fmt(v):
    return f"{v:g}"


def markdown(table, rv, cv, rows, cols):
    head = [rows, cols, "seeds", "modes (of 8)", "% high quality", "HQ spread (pts)", "crashes",
            "seconds"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for (a, b), c in table.items():
        pm = lambda k, d: (f"{c[k][0]:.{d}f}" + ("" if math.isnan(c[k][1]) else f" ± {c[k][1]:.{d}f}"))
        lines.append("| " + " | ".join([fmt(a), fmt(b), str(c["n"]), pm("modes_captured", 1),
                                        pm("hq", 1), pm("hq_spread", 1), pm("crashes", 2),
                                        pm("seconds", 0)]) + " |")
    return "\n".join(lines) + "\n"


def write_csvs(out, runs, table, rows, cols):
    keys = [rows, cols, "seed", "modes_captured", "modes_total", "hq", "hq_spread", "crashes", "seconds"]
    with open(out + "-runs.csv", "w", newline="") as f:
        w = csv.DictWriter(f, keys, extrasaction="ignore")
        w.writeheader()
        w.writerows(runs)
    with open(out + "-cells.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow([rows, cols, "seeds"] + [f"{k}_{s}" for k in METRICS for s in ("mean", "se")])
        for (a, b), c in table.items():
            w.writerow([a, b, c["n"]] + [repr(v) for k in METRICS for v in c[k]])


def heatmaps(out, table, rv, cv, rows, cols, title):
    """OUT.png: one heat map per metric, cells annotated mean ± se."""
    from ..pictures.plots import figure
    shown = ("modes_captured", "hq", "hq_spread", "crashes")
    cmaps = {"modes_captured": "viridis", "hq": "viridis", "hq_spread": "magma_r", "crashes": "magma_r"}
    fig = figure(3.3 * len(shown), 3.4)
    for ax, k in zip(fig.subplots(1, len(shown)), shown):
        grid = np.full((len(rv), len(cv)), np.nan)
        for (a, b), c in table.items():
            grid[rv.index(a), cv.index(b)] = c[k][0]
        im = ax.imshow(grid, origin="lower", cmap=cmaps[k], aspect="auto")
        for (a, b), c in table.items():
            m, s = c[k]
            txt = f"{m:.1f}" + ("" if math.isnan(s) else f"\n±{s:.1f}")
            ax.text(cv.index(b), rv.index(a), txt, ha="center", va="center", fontsize=8,
                    color="w" if (im.norm(m) < 0.5) == (cmaps[k] == "viridis") else "k")
        ax.set_xticks(range(len(cv)), [fmt(v) for v in cv])
        ax.set_yticks(range(len(rv)), [fmt(v) for v in rv])
        ax.set_xlabel(cols)
        ax.set_ylabel(rows)
        ax.set_title(LABELS[k], fontsize=9)
        fig.colorbar(im, ax=ax, shrink=0.8)
    fig.suptitle(title, fontsize=10)
    fig.savefig(out + ".png")


def hq_curves(out, runs, rv, cv, rows, cols):
    """OUT-hq.png: % high quality against the step, a panel per cell, a line per seed."""
    from ..pictures.plots import figure
    fig = figure(2.6 * len(cv), 1.9 * len(rv) + 0.4)
    axs = fig.subplots(len(rv), len(cv), squeeze=False, sharex=True, sharey=True)
    for r in runs:
        ax = axs[len(rv) - 1 - rv.index(r[rows]), cv.index(r[cols])]
        ax.plot(r["steps"], r["hq_curve"], lw=0.7, label=f"seed {r['seed']}")
        ax.set_title(f"{rows} {fmt(r[rows])}, {cols} {fmt(r[cols])}", fontsize=8)
        ax.set_ylim(0, 100)
    axs[0, 0].legend(fontsize=6)
    for ax in axs[-1]:
        ax.set_xlabel("step", fontsize=8)
    for ax in axs[:, 0]:
        ax.set_ylabel("% high quality", fontsize=8)
    fig.savefig(out + "-hq.png")


def zspace_grid(out, runs, rv, cv, rows, cols, picks=5):
    """OUT-zspace.png: per cell, the first seed's noise plane coloured by mode at `picks` steps."""
    from ..pictures.plots import figure
    from ..pictures.zspace import draw_mode_plane
    firsts = {}
    for r in sorted(runs, key=lambda r: r["seed"]):
        firsts.setdefault((r[rows], r[cols]), r)
    firsts = {k: r for k, r in firsts.items() if snapshot_steps(r["run"])}
    if not firsts:
        return
    fig = figure(1.55 * picks + 0.6, 1.6 * len(firsts) + 0.5)
    axs = fig.subplots(len(firsts), picks, squeeze=False)
    for i, ((a, b), r) in enumerate(sorted(firsts.items())):
        recorded = snapshot_steps(r["run"])
        chosen = [recorded[round(j * (len(recorded) - 1) / (picks - 1))] for j in range(picks)]
        for j, step in enumerate(chosen):
            mode = load_snapshot(r["run"], step)["mesh_mode"]
            draw_mode_plane(axs[i, j], mode, r["modes_total"],
                            f"step {step}: z grid reaches {len(set(mode.ravel()) - {-1})}")
        axs[i, 0].set_ylabel(f"{rows} {fmt(a)}\n{cols} {fmt(b)}", fontsize=7)
    fig.suptitle(f"noise plane coloured by the mode G(z) reaches (grey: none), seed "
                 f"{min(r['seed'] for r in runs)}", fontsize=9)
    fig.savefig(out + "-zspace.png")


def add_phase_arguments(p):
    p.add_argument("sweep", help="a minigan sweep folder (with runs/)")
    p.add_argument("--rows", required=True, help="the config field of the rows")
    p.add_argument("--cols", required=True, help="the config field of the columns")
    p.add_argument("--out", required=True, help="path prefix of the outputs (OUT.md, OUT.png, …)")
    p.add_argument("--title", default="", help="figure title (default: \"ROWS × COLS\")")


def run_phase(a):
    if not os.path.isdir(os.path.join(a.sweep, "runs")):
        raise UsageError(f"{a.sweep} is not a sweep folder (no runs/)")
    runs = read_runs(a.sweep, a.rows, a.cols)
    if not runs:
        raise UsageError(f"no finished runs in {a.sweep}")
    os.makedirs(os.path.dirname(a.out) or ".", exist_ok=True)
    table, rv, cv = cells(runs, a.rows, a.cols)
    md = markdown(table, rv, cv, a.rows, a.cols)
    with open(a.out + ".md", "w") as f:
        f.write(md)
    write_csvs(a.out, runs, table, a.rows, a.cols)
    heatmaps(a.out, table, rv, cv, a.rows, a.cols, a.title or f"{a.rows} × {a.cols}")
    hq_curves(a.out, runs, rv, cv, a.rows, a.cols)
    zspace_grid(a.out, runs, rv, cv, a.rows, a.cols)
    print(md + f"\n{len(runs)} runs; wrote {a.out}.md, .png, -hq.png, -zspace.png, -cells.csv, -runs.csv")
    return 0
