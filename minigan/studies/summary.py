r"""What a sweep reports: its progress while it trains, its tables and figures when done.

    SweepProgress              a line after each run: runs done / total, elapsed, time left
    DIR/runs.csv               one row per finished run: its names and final metrics.json
    DIR/summary.csv, .md       one row per data × loss × varied values: mean ± standard error
                               over the seeds
    DIR/grid*.png, modes.png   the pictures of study.py, a row per data × loss × varied values

``varied`` is the list of the TrainConfig fields given to ``minigan sweep --vary``, in the
order given: each gets a column in every table, and its value joins the row label of the
figures. With no --vary the tables are exactly those of minigan 0.2.0.

Everything here reads files, so the local path and the Dask path (cluster.py), which leave the
same run folders, give the same tables; a rerun that trains nothing rewrites them unchanged.
"""
import csv
import math
import os
import time

import numpy as np

from .. import __version__
from ..runs.folder import exact_row, read_json
from .figures import grid_figures, modes_figure

RUN_METRICS = ["steps", "modes_captured", "modes_total", "high_quality_frac", "mode_kl",
               "sliced_w", "seconds"]
METRICS = ["modes_captured", "high_quality_frac", "mode_kl", "sliced_w", "seconds"]


def clock(seconds):
    """Seconds as h:mm:ss."""
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


class SweepProgress:
    """The sweep's own progress, a line after each run: runs done / total, elapsed, time left.

    The time left is estimated from the runs finished by this invocation: the mean of their own
    times (train_one measures them) × the runs left ÷ the workers that share them. Until one
    has finished it says "estimating…". A failed run counts as done, but not in the estimate.
    """

    def __init__(self, total, skipped, workers):
        self.total, self.skipped, self.workers = total, skipped, max(1, workers)
        self.t0, self.times, self.failed = time.perf_counter(), [], 0

    def ended(self, seconds, ok):
        """Count one run that ended (ok: it finished); returns how many have ended so far."""
        if ok:
            self.times.append(seconds)
        else:
            self.failed += 1
        return len(self.times) + self.failed

    def line(self):
        done = self.skipped + len(self.times) + self.failed
        left = self.total - done
        if left == 0:
            eta = "none left"
        elif not self.times:
            eta = "time left: estimating…"
        else:
            mean = math.fsum(self.times) / len(self.times)
            eta = f"about {clock(mean * left / min(self.workers, left))} left"
        failed = f" ({self.failed} failed)" if self.failed else ""
        return (f"sweep: {done}/{self.total} runs done{failed}, "
                f"{clock(time.perf_counter() - self.t0)} elapsed, {eta}")


def run_columns(varied):
    """The columns of runs.csv: the run's names (data, loss, varied fields, seed), its metrics."""
    return ["data", "loss", *varied, "seed", *RUN_METRICS]


def summary_columns(varied):
    return ["data", "loss", *varied, "steps", "runs", "planned", "modes_total"] + \
        [k + s for k in METRICS for s in ("_mean", "_se")]


def read_run(run_dir, cfg, varied=()):
    """One runs.csv row: the config's names and the run's final metrics (None if unfinished)."""
    path = os.path.join(run_dir, "metrics.json")
    if not os.path.exists(path):
        return None
    names = {k: cfg[k] for k in ("data", "loss", *varied, "seed")}
    return {**names, **read_json(path)}


def mean_se(values):
    """(mean, standard error s/√n with the n − 1 sample std); NaN where undefined."""
    n = len(values)
    if n == 0:
        return math.nan, math.nan
    mean = math.fsum(values) / n
    if n == 1:
        return mean, math.nan
    var = math.fsum((v - mean) ** 2 for v in values) / (n - 1)
    return mean, math.sqrt(var / n)


def group_key(cfg, varied):
    """What one summary row stands for: data, loss and the varied values (all but the seed)."""
    return (cfg["data"], cfg["loss"], *(cfg[k] for k in varied))


def summarize(rows, planned, varied=()):
    """Per data × loss × varied values, in the order planned: runs finished and mean ± se."""
    groups = {}
    for _, cfg in planned:
        g = groups.setdefault(group_key(cfg, varied), {"n": 0, "steps": cfg["steps"], "rows": []})
        g["n"] += 1
    for r in rows:
        groups[group_key(r, varied)]["rows"].append(r)
    table = []
    for key, g in groups.items():
        line = dict(zip(["data", "loss", *varied], key))
        line.update({"runs": len(g["rows"]), "planned": g["n"], "steps": g["steps"]})
        for k in METRICS:
            line[k + "_mean"], line[k + "_se"] = mean_se([r[k] for r in g["rows"]])
        if g["rows"]:
            line["modes_total"] = g["rows"][0]["modes_total"]
        table.append(line)
    return table


def write_csv(path, rows, columns):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, columns, extrasaction="ignore")
        w.writeheader()
        w.writerows(exact_row(r) for r in rows)


def _pm(line, key, scale=1.0, digits=2):
    m, s = line.get(key + "_mean", math.nan), line.get(key + "_se", math.nan)
    if math.isnan(m):
        return "–"
    return f"{m * scale:.{digits}f}" + ("" if math.isnan(s) else f" ± {s * scale:.{digits}f}")


def markdown(table, varied=()):
    """The summary as a Markdown table: mean ± standard error over the finished seeds."""
    head = ["data", "loss", *varied, "steps", "runs", "modes captured", "% high quality",
            "mode KL (nats)", "sliced W", "seconds"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for t in table:
        modes = _pm(t, "modes_captured", digits=1) + f" / {t.get('modes_total', '–')}"
        runs = f"{t['runs']}" if t["runs"] == t["planned"] else f"{t['runs']} of {t['planned']}"
        cells = [t["data"], t["loss"], *(str(t[k]) for k in varied), str(t["steps"]), runs,
                 modes, _pm(t, "high_quality_frac", 100, 1), _pm(t, "mode_kl", digits=3),
                 _pm(t, "sliced_w", digits=4), _pm(t, "seconds", digits=0)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def labelled(planned, varied):
    """planned, each run's loss renamed "loss field=value …" — the row label of the figures.

    study.py draws a row per (data, loss); giving it the varied values inside the loss's name
    makes a row per data × loss × varied values, with the values in the label.
    """
    if not varied:
        return planned
    return [(run_dir, {**cfg, "loss": " ".join([cfg["loss"]] + [f"{k}={cfg[k]}" for k in varied])})
            for run_dir, cfg in planned]


def write_summary(out, planned, varied=()):
    """runs.csv, summary.csv, summary.md and the grid figures from the run folders on disk."""
    rows = [r for r in (read_run(d, c, varied) for d, c in planned) if r is not None]
    write_csv(os.path.join(out, "runs.csv"), rows, run_columns(varied))
    table = summarize(rows, planned, varied)
    write_csv(os.path.join(out, "summary.csv"), table, summary_columns(varied))
    md = markdown(table, varied)
    with open(os.path.join(out, "summary.md"), "w") as f:
        f.write(f"Mean ± standard error over seeds {sorted({c['seed'] for _, c in planned})}; "
                f"metrics of the final generator on its fixed evaluation noise (docs/references.md §5). "
                f"Every column but seconds is reproducible bit for bit with the same code, NumPy "
                f"build and one BLAS thread per run (minigan {__version__}, NumPy {np.__version__})."
                f"\n\n" + md)
    if rows:
        grid_figures(out, labelled(planned, varied))
        modes_figure(out, labelled(planned, varied))
    return md
