r"""``minigan sweep``: every data × loss × seed combination, trained in parallel, summarised.

    DIR/runs/{data}-{loss}-seed{seed}/   one ordinary run folder per combination (minigan train)
    DIR/runs.csv                         one row per run: its final metrics (metrics.json)
    DIR/summary.csv, DIR/summary.md      per data × loss: mean ± standard error over the seeds
    DIR/grid.png, DIR/grid-{data}.png    the final samples of every run (study.py)
    DIR/modes.png                        modes captured over training, every run (study.py)

Each run uses the sweep default of its loss (``SWEEP_DEFAULTS``) for every option that is not
given on the command line; an option given on the command line goes to every run.

Resuming: a run whose folder holds metrics.json is finished and is not trained again (its
config.json must match what is asked, or the sweep stops rather than mix two set-ups in one
table); an unfinished run continues from its last checkpoint, which runs.py makes exact.

Determinism: a run depends on its config and seed only, each worker uses one BLAS thread, so
the same command gives the same runs.csv and summary, bit for bit, on the same machine and
NumPy build — every column except ``seconds`` (wall-clock time) and its standard error.
"""
import contextlib
import csv
import io
import math
import multiprocessing
import os
import re
import sys
import time

import numpy as np

from . import __version__
from .checkpoint import CheckpointError
from .config import ConfigError, TrainConfig
from .data import DATASETS, get_dataset
from .errors import UsageError
from .losses import LOSSES
from .options import add_config_arguments, config_overrides
from .runs import exact_row, read_json, resume, train_run
from .study import grid_figures, modes_figure
from .train import Trainer

# The study's settings, pinned here so that a change of minigan train's defaults does not change
# the study: one network for every loss (gan_toy.py's 3 ReLU layers, narrowed to 128 units;
# z ~ N(0, I₂)), batch 512, and per loss (measured reasons in docs/study/README.md):
#   gan, nsgan: D 5× faster than G (lr 1e-3 vs 2e-4, the TTUR idea of Heusel et al. 2017) and
#     lr halving every 8000 steps: the samples become sharp instead of staying smeared rays.
#   wgan: the paper's Algorithm 1 (RMSProp 5e-5, clip 0.01, n_critic 5), constant lr.
#   wgan-gp: n_critic 1 with a 2× faster critic, lr halving every 4000 steps: per CPU second
#     this reached higher quality than n_critic 5 (see docs/study/README.md); --k 5 gives the paper's.
# The 40-run default sweep takes about 40 minutes on 2 cores with --jobs 2.
STUDY_BASE = dict(batch=512, hidden=128, depth=3, z_dim=2, activation="relu", eval_samples=2500)
SWEEP_DEFAULTS = {
    "gan": dict(STUDY_BASE, steps=20000, lr_d=1e-3, lr_g=2e-4, lr_half_life=8000),
    "nsgan": dict(STUDY_BASE, steps=20000, lr_d=1e-3, lr_g=2e-4, lr_half_life=8000),
    "wgan": dict(STUDY_BASE, steps=10000, lr_half_life=0),
    "wgan-gp": dict(STUDY_BASE, steps=15000, k=1, lr_d=1e-3, lr_g=5e-4, lr_half_life=4000),
}
# data, loss and seed name the combinations; the rest are per-run options
COMBINATION = ("data", "loss", "seed")
MODE_DATASETS = [n for n in DATASETS if get_dataset(n).dim == 2 and get_dataset(n).centers is not None]
RUN_COLUMNS = ["data", "loss", "seed", "steps", "modes_captured", "modes_total",
               "high_quality_frac", "mode_kl", "sliced_w", "seconds"]
METRICS = ["modes_captured", "high_quality_frac", "mode_kl", "sliced_w", "seconds"]


def add_sweep_arguments(p):
    p.add_argument("--data", nargs="+", default=["ring8", "grid25"], choices=MODE_DATASETS,
                   metavar="DATA", help=f"2D mixtures, whose modes can be counted: {', '.join(MODE_DATASETS)}")
    p.add_argument("--loss", nargs="+", default=["gan", "nsgan", "wgan", "wgan-gp"],
                   choices=list(LOSSES), metavar="LOSS", help=f"losses: {', '.join(LOSSES)}")
    p.add_argument("--seeds", default="0-4", help="seeds: a range 0-4, a list 0,2,5, or one seed 3")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="worker processes, each training one run at a time with one BLAS thread")
    p.add_argument("--out", default="sweep", metavar="DIR", help="sweep folder")
    p.add_argument("--no-sweep-defaults", action="store_true",
                   help="use minigan train's defaults instead of SWEEP_DEFAULTS")
    g = p.add_argument_group("per-run options, given to every run (each a field of "
                             "minigan.config.TrainConfig; default: SWEEP_DEFAULTS, then train's)")
    add_config_arguments(g, skip=COMBINATION, show_default=False)


def parse_seeds(text):
    """'0-4' -> [0, 1, 2, 3, 4]; '0,2,5' -> [0, 2, 5]; '3' -> [3]. UsageError otherwise."""
    parts = [re.fullmatch(r"\s*(\d+)(?:-(\d+))?\s*", part) for part in text.split(",")]
    if not all(parts) or any(m[2] and int(m[2]) < int(m[1]) for m in parts):
        raise UsageError(f"--seeds {text!r}: expected a range like 0-4, a list like 0,2,5 "
                         f"or one seed, all ≥ 0 and ranges increasing")
    seeds = [s for m in parts for s in range(int(m[1]), int(m[2] or m[1]) + 1)]
    if len(set(seeds)) != len(seeds):
        raise UsageError(f"--seeds {text!r}: a seed is listed twice")
    return seeds


def plan(args):
    """[(run_dir, resolved config dict)] for every data × loss × seed, in table order."""
    given = config_overrides(args, skip=COMBINATION)
    jobs = []
    for data in dict.fromkeys(args.data):
        for loss in dict.fromkeys(args.loss):
            base = {} if args.no_sweep_defaults else SWEEP_DEFAULTS.get(loss, {})
            for seed in parse_seeds(args.seeds):
                try:
                    cfg = TrainConfig(**{**base, **given, "data": data, "loss": loss, "seed": seed})
                    cfg = cfg.resolved()
                except ConfigError as e:
                    raise UsageError(f"{data} {loss}: {e}") from None
                jobs.append((os.path.join(args.out, "runs", f"{data}-{loss}-seed{seed}"), cfg.to_dict()))
    return jobs


def finished(run_dir, cfg):
    """True if run_dir holds a finished run of exactly cfg; UsageError if of another config."""
    if not os.path.exists(os.path.join(run_dir, "metrics.json")):
        return False
    old = read_json(os.path.join(run_dir, "config.json"))
    diff = [f"{k} {old.get(k)!r} -> {v!r}" for k, v in cfg.items() if old.get(k) != v]
    if diff:
        raise UsageError(f"{run_dir} holds a finished run with another config ({'; '.join(diff)}); "
                         f"give a new --out, or delete that folder")
    return True


# --- the worker --------------------------------------------------------------------------------

def _init_worker():
    import signal
    from .memory import keep_freed_memory
    signal.signal(signal.SIGINT, signal.SIG_IGN)      # Ctrl-C is the parent's to handle
    keep_freed_memory()                               # as the `minigan` command does


def train_one(job):
    """Train (or continue) one run folder in a worker; returns (run_dir, exit code, messages)."""
    run_dir, cfg = job
    os.makedirs(run_dir, exist_ok=True)
    trainer, seconds = None, 0.0
    try:               # an interrupted run of the same config continues from its checkpoint
        trainer, _, seconds = resume(run_dir, {})
        if trainer.cfg.to_dict() != cfg or trainer.step >= cfg["steps"]:
            trainer = None
    except CheckpointError:
        pass
    resuming = trainer is not None
    if not resuming:
        trainer, seconds = Trainer(TrainConfig.from_dict(cfg)), 0.0
    out = io.StringIO()                               # train_run's own report stays quiet
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            code = train_run(trainer, run_dir, cfg["steps"] - trainer.step, seconds,
                           quiet=True, resuming=resuming)
        except Exception as e:                        # report it; the other runs go on
            code = 1
            print(f"{type(e).__name__}: {e}")
    return run_dir, code, out.getvalue()


def run_all(todo, jobs, report):
    """Train the runs in `todo` on `jobs` spawned workers; report(result) as each one ends."""
    blas = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
    saved = {var: os.environ.get(var) for var in blas}
    os.environ.update({var: "1" for var in blas})     # inherited by the workers: 1 BLAS thread
    try:                 # (2 threads each in 2 processes on 2 cores: 5-10x slower, measured)
        with multiprocessing.get_context("spawn").Pool(min(jobs, len(todo)),
                                                       initializer=_init_worker) as pool:
            for result in pool.imap_unordered(train_one, todo):
                report(result)
    finally:             # leaving the with block terminates the workers, also on Ctrl-C
        for var, value in saved.items():
            if value is None:
                os.environ.pop(var)
            else:
                os.environ[var] = value


# --- the summary -------------------------------------------------------------------------------

def read_run(run_dir, cfg):
    """One runs.csv row: the config's names and the run's final metrics (None if unfinished)."""
    path = os.path.join(run_dir, "metrics.json")
    if not os.path.exists(path):
        return None
    return {"data": cfg["data"], "loss": cfg["loss"], "seed": cfg["seed"], **read_json(path)}


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


def summarize(rows, planned):
    """Per data × loss, in the order planned: runs finished and mean ± se of every metric."""
    groups = {}
    for _, cfg in planned:
        groups.setdefault((cfg["data"], cfg["loss"]), {"n": 0, "steps": cfg["steps"], "rows": []})
        groups[(cfg["data"], cfg["loss"])]["n"] += 1
    for r in rows:
        groups[(r["data"], r["loss"])]["rows"].append(r)
    table = []
    for (data, loss), g in groups.items():
        line = {"data": data, "loss": loss, "runs": len(g["rows"]), "planned": g["n"],
                "steps": g["steps"]}
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


def markdown(table):
    """The summary as a Markdown table: mean ± standard error over the finished seeds."""
    head = ["data", "loss", "steps", "runs", "modes captured", "% high quality", "mode KL (nats)",
            "sliced W", "seconds"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for t in table:
        modes = _pm(t, "modes_captured", digits=1) + f" / {t.get('modes_total', '–')}"
        runs = f"{t['runs']}" if t["runs"] == t["planned"] else f"{t['runs']} of {t['planned']}"
        cells = [t["data"], t["loss"], str(t["steps"]), runs, modes,
                 _pm(t, "high_quality_frac", 100, 1), _pm(t, "mode_kl", digits=3),
                 _pm(t, "sliced_w", digits=4), _pm(t, "seconds", digits=0)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def write_summary(out, planned):
    """runs.csv, summary.csv, summary.md and the grid figures from the run folders on disk."""
    rows = [r for r in (read_run(d, c) for d, c in planned) if r is not None]
    write_csv(os.path.join(out, "runs.csv"), rows, RUN_COLUMNS)
    table = summarize(rows, planned)
    cols = ["data", "loss", "steps", "runs", "planned", "modes_total"] + \
        [k + s for k in METRICS for s in ("_mean", "_se")]
    write_csv(os.path.join(out, "summary.csv"), table, cols)
    md = markdown(table)
    with open(os.path.join(out, "summary.md"), "w") as f:
        f.write(f"Mean ± standard error over seeds {sorted({c['seed'] for _, c in planned})}; "
                f"metrics of the final generator on its fixed evaluation noise (docs/references.md §5). "
                f"Every column but seconds is reproducible bit for bit with the same code, NumPy "
                f"build and one BLAS thread per run (minigan {__version__}, NumPy {np.__version__})."
                f"\n\n" + md)
    if rows:
        grid_figures(out, planned)
        modes_figure(out, planned)
    return md


# --- minigan sweep ------------------------------------------------------------------------------

def run_sweep(args):
    if args.jobs < 1:
        raise UsageError(f"--jobs: must be ≥ 1, got {args.jobs}")
    planned = plan(args)
    try:
        os.makedirs(os.path.join(args.out, "runs"), exist_ok=True)
    except OSError as e:
        raise UsageError(f"cannot write to sweep folder {args.out}: {e.strerror or e}") from None
    todo = [(d, c) for d, c in planned if not finished(d, c)]
    print(f"minigan sweep: {len(planned)} runs in {args.out}: {len(planned) - len(todo)} finished "
          f"(skipped), {len(todo)} to train on {min(args.jobs, max(len(todo), 1))} worker(s)",
          flush=True)
    failed, t0, done = [], time.perf_counter(), [0]

    def report(result):
        run_dir, code, messages = result
        done[0] += 1
        name = os.path.basename(run_dir)
        if code != 0:
            failed.append(name)
            why = messages.strip().splitlines()[-1] if messages.strip() else f"exit status {code}"
            print(f"[{done[0]}/{len(todo)}] {name}: FAILED: {why}", flush=True)
            return
        m = read_json(os.path.join(run_dir, "metrics.json"))
        print(f"[{done[0]}/{len(todo)}] {name}: modes {m['modes_captured']}/{m['modes_total']}, "
              f"hq {100 * m['high_quality_frac']:.1f} %, {m['seconds']:.0f} s", flush=True)

    if todo:
        try:
            run_all(todo, args.jobs, report)
        except KeyboardInterrupt:
            print("minigan sweep: interrupted; run the same command again to continue "
                  "(finished runs are kept)", file=sys.stderr)
            return 130
    md = write_summary(args.out, planned)
    print(f"\n{md}\nwrote {args.out}/summary.md, summary.csv, runs.csv, grid.png, modes.png "
          f"({time.perf_counter() - t0:.0f} s)")
    if failed:
        print(f"minigan sweep: {len(failed)} run(s) did not finish: {', '.join(failed)}",
              file=sys.stderr)
        return 1
    return 0
