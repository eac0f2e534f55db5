"""A run folder on disk: how each of its files is written and read, and how a run is reopened.

    write_json / read_json   config.json, metrics.json
    History                  history.csv, one row per evaluation, floats by repr (bit-exact)
    write_snapshot, snapshot_steps, load_snapshot, truncate_snapshots   RUN/snapshots/ (the lab's)
    Progress                 the one-line progress report on stderr
    data_copy, run_dataset   the run's copy of the user's points (RUN/data.csv or .npy)
    open_run                 the one way to reopen a run: its config, its own data, its checkpoint
"""
import csv
import json
import os
import re
import sys
import time

import numpy as np

from ..config import TrainConfig
from ..data import is_points_file
from ..metrics import describe
from ..train import Trainer
from . import checkpoint
from .atomic import atomic_write
from .errors import UsageError
from .points import load_points


def write_json(path, obj):
    """Write obj as JSON, atomically."""
    def write(f):
        json.dump(obj, f, indent=2, sort_keys=True)
        f.write("\n")
    atomic_write(path, write)


def read_json(path):
    """The object in a JSON file (config.json, metrics.json)."""
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def exact_row(row):
    """A CSV row with every float written by repr: read back, it gives the same bits."""
    return {k: repr(v) if isinstance(v, float) else v for k, v in row.items()}


class History:
    """history.csv, appended one row at a time (floats in full precision: bit-identical reruns).

    resume_step: keep the file's rows up to that step (a resumed run), else start a new file;
    every: the eval_every grid — a resumed run also drops the row its earlier end wrote off the
    grid (train.fit), so it gets the very rows a run trained straight through has.
    ``rows`` holds every row as written, so the run's pictures need not read the file back."""

    def __init__(self, path, resume_step=None, every=1):
        self.path, self.columns, self.rows = path, None, []
        if resume_step is not None and os.path.exists(path):
            with open(path, newline="") as f:
                rows = list(csv.DictReader(f))
            self.rows = [r for r in rows if on_grid(int(r["step"]), resume_step, every)]
            if rows:
                self.columns = list(rows[0])
                with open(path, "w", newline="") as f:
                    w = csv.DictWriter(f, self.columns)
                    w.writeheader()
                    w.writerows(self.rows)
        elif os.path.exists(path):
            os.remove(path)

    def write(self, row):
        new = self.columns is None
        if new:
            self.columns = list(row)
        self.rows.append(exact_row(row))
        with open(self.path, "a", newline="") as f:
            w = csv.DictWriter(f, self.columns)
            if new:
                w.writeheader()
            w.writerow(self.rows[-1])

    def as_columns(self):
        """{column: float array}, as curves.read_history gives for the file."""
        return columns(self.rows)


def columns(rows):
    """history.csv's rows (strings or numbers) -> {column: float array}; "" is NaN."""
    if not rows:
        return {}
    return {k: np.array([float(r[k]) if r[k] != "" else np.nan for r in rows]) for k in rows[0]}


def read_history(path):
    """history.csv -> {column: float array} (a run's history, for a later command)."""
    with open(path, newline="") as f:
        return columns(list(csv.DictReader(f)))


# --- RUN/snapshots/stepNNNNNNN.npz: what the lab page replays (pictures/snapshots.py records) ---

SNAPSHOTS = "snapshots"
SNAPSHOT_NAME = re.compile(r"step(\d+)\.npz")


def snapshot_path(run_dir, step):
    return os.path.join(run_dir, SNAPSHOTS, f"step{step:07d}.npz")


def write_snapshot(run_dir, snap):
    """Save one snapshot (a dict of arrays with a "step") atomically."""
    path = snapshot_path(run_dir, int(snap["step"]))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    atomic_write(path, lambda f: np.savez(f, **snap), binary=True)


def snapshot_steps(run_dir):
    """The steps that have a snapshot in run_dir, sorted."""
    folder = os.path.join(run_dir, SNAPSHOTS)
    if not os.path.isdir(folder):
        return []
    return sorted(int(m[1]) for m in map(SNAPSHOT_NAME.fullmatch, os.listdir(folder)) if m)


def load_snapshot(run_dir, step):
    """One snapshot as a dict of arrays (no pickle)."""
    with np.load(snapshot_path(run_dir, step), allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def truncate_snapshots(run_dir, last_step=None, every=1):
    """Delete the snapshots after last_step and those off the eval_every grid (all of them if
    last_step is None): a resumed or restarted run records its own, as history.csv's rows."""
    for s in snapshot_steps(run_dir):
        if last_step is None or not on_grid(s, last_step, every):
            os.remove(snapshot_path(run_dir, s))


def on_grid(step, last_step, every):
    """What a resumed run keeps of a row or snapshot: steps up to last_step on the every grid."""
    return step <= last_step and step % every == 0


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


# --- the run's data, and reopening a run ----------------------------------------------------------

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


def open_run(run_dir, restore=True):
    """The run in run_dir as a Trainer: (trainer, checkpoint arrays or None).

    restore=True: the config the checkpoint carries, the state it holds (CheckpointError if
    there is none); restore=False: config.json's config, untrained. The run's own copy of the
    user's points either way. A folder that is not a run, or a file that cannot be read, is a
    UsageError (one line)."""
    if restore:
        arrays = checkpoint.load(os.path.join(run_dir, "checkpoint.npz"))
        cfg = checkpoint.config_of(arrays)
    else:
        path = os.path.join(run_dir, "config.json")
        if not os.path.isfile(path):
            raise UsageError(f"{run_dir} is not a minigan run folder (no config.json)")
        try:
            cfg, arrays = TrainConfig.from_dict(read_json(path)), None
        except (ValueError, TypeError) as e:       # ConfigError, bad JSON
            raise UsageError(f"{path}: {e}") from None
    try:
        trainer = Trainer(cfg, data=run_dataset(run_dir, cfg))
    except ValueError as e:                         # ConfigError, PointsError
        raise UsageError(f"{run_dir}: {e}") from None
    if arrays is not None:
        checkpoint.restore(trainer, arrays)
    return trainer, arrays
