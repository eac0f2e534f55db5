"""The files of a run folder that grow while it trains: JSON files, history.csv, the progress line.

    write_json / read_json   config.json, metrics.json (written atomically)
    History                  history.csv, one row per evaluation, floats by repr (bit-exact)
    Progress                 the one-line progress report on stderr
    load_trainer             an untrained Trainer of a run folder: its config, its own data
"""
import csv
import json
import os
import sys
import time

from .config import TrainConfig
from .errors import UsageError
from .points import is_points_file, load_points
from .train import Trainer


def write_json(path, obj):
    """Write obj as JSON, atomically: a reader sees the old file or the new one, never half."""
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(obj, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(tmp, path)


def read_json(path):
    """The object in a JSON file (config.json, metrics.json)."""
    with open(path) as f:
        return json.load(f)


def exact_row(row):
    """A CSV row with every float written by repr: read back, it gives the same bits."""
    return {k: repr(v) if isinstance(v, float) else v for k, v in row.items()}


class History:
    """history.csv, appended one row at a time (floats in full precision: bit-identical reruns)."""

    def __init__(self, path, resume_step=None):
        self.path, self.columns = path, None
        if resume_step is not None and os.path.exists(path):
            with open(path, newline="") as f:
                rows = list(csv.DictReader(f))
            keep = [r for r in rows if int(r["step"]) <= resume_step]   # drop rows past the checkpoint
            if rows:
                self.columns = list(rows[0])
                with open(path, "w", newline="") as f:
                    w = csv.DictWriter(f, self.columns)
                    w.writeheader()
                    w.writerows(keep)
        elif os.path.exists(path):
            os.remove(path)

    def write(self, row):
        new = self.columns is None
        if new:
            self.columns = list(row)
        with open(self.path, "a", newline="") as f:
            w = csv.DictWriter(f, self.columns)
            if new:
                w.writeheader()
            w.writerow(exact_row(row))


def describe(m):
    """The metrics of a history row or of metrics.json, as short phrases."""
    parts = []
    if "modes_captured" in m:
        parts.append(f"modes {m['modes_captured']}/{m['modes_total']}, "
                     f"high quality {100 * m['high_quality_frac']:.1f} %")
    if "class_acc_mean" in m:
        parts.append(f"per-class accuracy {m['class_acc_mean']:.3f}")
    parts += [f"{k} {m[k]:.4f}" for k in ("w1", "sliced_w") if k in m]
    return parts


class Progress:
    """One line, rewritten in place on a terminal (stderr), at most twice a second."""

    def __init__(self, quiet, end):
        self.quiet, self.end, self.tty = quiet, end, sys.stderr.isatty()
        self.t0, self.step0, self.last, self.row = time.perf_counter(), None, 0.0, {}

    def update(self, step, row=None, force=False):
        if row is not None:
            self.row = row
        if self.quiet:
            return
        now = time.perf_counter()
        if self.step0 is None:
            self.step0, self.t0 = step, now
        if not force and (now - self.last < 0.5 if self.tty else row is None):
            return
        self.last = now
        rate = (step - self.step0) / max(now - self.t0, 1e-9)
        left = (self.end - step) / rate if rate > 0 else 0
        r = self.row
        parts = [f"step {step}/{self.end}"]
        if r.get("d_loss") == r.get("d_loss") and "d_loss" in r:     # not NaN
            parts.append(f"D {r['d_loss']:.3f} G {r['g_loss']:.3f}")
        parts += describe(r)
        parts.append(f"{rate:.0f} it/s, {int(left) // 60}:{int(left) % 60:02d} left")
        line = " | ".join(parts)
        print("\r" + line.ljust(100) if self.tty else line, end="" if self.tty else "\n",
              file=sys.stderr, flush=True)

    def close(self):
        if not self.quiet and self.tty:
            print(file=sys.stderr)


def data_copy(run_dir, cfg):
    """Where a run keeps its copy of the user's points: RUN/data.csv or RUN/data.npy."""
    return os.path.join(run_dir, "data" + os.path.splitext(cfg.data)[1].lower())


def run_dataset(run_dir, cfg):
    """The dataset of the run in run_dir: its copy of the user's points, or None (a built-in)."""
    if not is_points_file(cfg.data):
        return None
    path = data_copy(run_dir, cfg)
    if not os.path.exists(path):
        raise UsageError(f"{run_dir} trained on {cfg.data} but holds no copy of it ({path})")
    return load_points(path, cfg.conditional)


def load_trainer(run_dir):
    """A Trainer for the run in run_dir as configured (config.json, its own data), untrained."""
    path = os.path.join(run_dir, "config.json")
    if not os.path.isfile(path):
        raise UsageError(f"{run_dir} is not a minigan run folder (no config.json)")
    try:
        cfg = TrainConfig.from_dict(read_json(path))
        return Trainer(cfg, data=run_dataset(run_dir, cfg))
    except (ValueError, TypeError) as e:       # ConfigError, PointsError, bad JSON
        raise UsageError(f"{path}: {e}") from None
