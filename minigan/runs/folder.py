"""A run folder on disk: how each of its files is written and read, and how a run is reopened.

    write_json / read_json   config.json, metrics.json
    History                  history.csv, one row per evaluation, floats by repr (bit-exact)
    write_snapshot, snapshot_steps, load_snapshot, truncate_snapshots   RUN/snapshots/ (the lab's)
    Progress                 the one-line progress report on stderr
    data_copy, run_dataset   the run's copy of the user's points (RUN/data.csv or .npy)
    open_run                 the one way to reopen a run: its config, its own data, its checkpoint
"""
import contextlib
import csv
import json
import os
import re
import socket
import sys
import time
from dataclasses import replace

try:
    import fcntl                                   # POSIX; Windows has none: no lock there
except ImportError:
    fcntl = None

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
            try:
                with open(path, newline="", encoding="utf-8") as f:
                    rows = list(csv.DictReader(f))
                self.rows = [r for r in rows if on_grid(int(r["step"]), resume_step, every)]
            except (ValueError, KeyError, TypeError, csv.Error, UnicodeDecodeError) as e:
                raise UsageError(f"{path} is damaged ({type(e).__name__}: {e}); the checkpoint "
                                 f"holds the run: move history.csv away to resume without its "
                                 f"earlier rows") from None
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
    """One snapshot as a dict of arrays (no pickle: ValueError for an array of objects)."""
    try:
        with np.load(snapshot_path(run_dir, step), allow_pickle=False) as z:
            return {k: z[k] for k in z.files}
    except ValueError as e:        # numpy's advice to load "unsafely" is not for our users
        raise ValueError("it holds Python objects, which minigan never loads" if "pickle" in str(e)
                         else str(e)) from None


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
    return load_points(path, cfg.conditional, cfg.dtype)


def read_config(run_dir):
    """config.json's TrainConfig, resolved; UsageError (one line) for a missing or bad file."""
    path = os.path.join(run_dir, "config.json")
    if not os.path.isfile(path):
        raise UsageError(f"{run_dir} is not a minigan run folder (no config.json)")
    try:
        return TrainConfig.from_dict(read_json(path)).resolved()
    except (ValueError, TypeError, UnicodeDecodeError) as e:    # ConfigError, bad JSON, bad types
        raise UsageError(f"{path}: {e}") from None


def open_run(run_dir, restore=True):
    """The run in run_dir as a Trainer: (trainer, checkpoint arrays or None).

    restore=True: the state checkpoint.npz holds, checked against its config (checkpoint.check);
    restore=False: untrained, for what needs only the config (minigan lab). Either way config.json
    and the checkpoint (when there is one) must agree on every field: one of them changed, or
    copied from another run, is refused with the fields that differ — never rewritten from the
    other. The run's own copy of the user's points is its data. Every failure is a UsageError
    (one line); nothing in the folder is changed."""
    cfg = live_changes(run_dir, read_config(run_dir))
    check_fits(cfg)
    ckpt = os.path.join(run_dir, "checkpoint.npz")
    arrays = None
    if restore or os.path.exists(ckpt):
        try:
            arrays = checkpoint.load(ckpt)
            other = checkpoint.config_of(arrays).resolved()
        except (checkpoint.CheckpointError, ValueError) as e:
            if restore:
                again = "; it stopped before its first checkpoint: start it again with --force"
                raise UsageError(f"{run_dir}: {e}" + ("" if os.path.exists(ckpt) else again)) from None
            arrays = None                  # (lab needs no checkpoint: a broken one is no bar)
        else:
            # steps is the planned end, which --resume --steps moves: it may differ
            differ = [k for k, v in cfg.to_dict().items() if other.to_dict().get(k) != v and k != "steps"]
            if differ:
                raise UsageError(f"{run_dir}: config.json and checkpoint.npz disagree on "
                                 f"{', '.join(differ)} (one was changed, or copied from another "
                                 f"run); nothing was changed")
    try:
        trainer = Trainer(cfg, data=run_dataset(run_dir, cfg))
        if restore:
            checkpoint.restore(trainer, arrays)
    except (ValueError, TypeError) as e:          # ConfigError, PointsError, CheckpointError
        raise UsageError(f"{run_dir}: {e}") from None
    return trainer, (arrays if restore else None)


def live_changes(run_dir, cfg):
    """cfg with the changes a live session made mid-run (minigan live: the "set" events of
    RUN/events.jsonl, in order), i.e. the config its checkpoint holds; cfg itself for any other run."""
    path = os.path.join(run_dir, "events.jsonl")
    if not os.path.exists(path):
        return cfg
    try:
        with open(path, encoding="utf-8") as f:
            for line in filter(str.strip, f):
                event = json.loads(line)
                if event.get("event") == "set":
                    cfg = replace(cfg, **event["changes"])
        cfg.validate()
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as e:
        raise UsageError(f"{path}: not a readable event log ({type(e).__name__}: {e})") from None
    return cfg


def check_fits(cfg, dim=2):
    """UsageError when training cfg would need more memory than this machine has (estimate)."""
    need, have = memory_needed(cfg, dim), physical_memory()
    if have and need > 0.8 * have:
        raise UsageError(f"this config needs about {need / 2**30:.1f} GiB of memory (widths "
                         f"{cfg.hidden_g}/{cfg.hidden_d}, batch {cfg.batch}, {cfg.eval_samples} "
                         f"evaluation samples); this machine has {have / 2**30:.1f} GiB")


def memory_needed(cfg, dim=2):
    """Bytes a run of cfg holds at its peak, roughly: parameters with their optimizer state and
    gradients, and the activations of one step, one evaluation and one lab snapshot."""
    item = 4 if cfg.dtype == "float32" else 8
    K = 64 if cfg.conditional else 0                          # an upper guess at the classes
    G = (cfg.z_dim + K) * cfg.hidden_g + cfg.hidden_g ** 2 * max(cfg.depth - 1, 0) + cfg.hidden_g * dim
    D = (dim + K) * cfg.pack * cfg.hidden_d + cfg.hidden_d ** 2 * max(cfg.depth - 1, 0) + cfg.hidden_d
    width = max(cfg.hidden_g, cfg.hidden_d) * max(cfg.depth, 1)
    rows = 12 * cfg.batch + 3 * cfg.eval_samples + 2 * 120 ** 2   # a step's passes, eval, heat map
    return item * (6 * (G + D) + rows * width)


def physical_memory():
    """Bytes of RAM (0 where the OS does not say)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 0


# --- one trainer per run folder --------------------------------------------------------------------

_HELD = {}        # run folders this process holds the lock of: {real path: open lock file}


@contextlib.contextmanager
def locked(run_dir):
    """Hold RUN/.lock while training into run_dir (the file names the holder and is removed at the
    end). The lock is the OS's (flock): it dies with its process, so a killed trainer leaves no
    stale lock — at most a .lock file that the next trainer takes over. A second trainer of the same folder
    gets a UsageError naming the holder; the same process may enter again (a no-op). Readers
    (minigan sample, minigan lab) take no lock. Where the OS has no flock (Windows), or on a
    network file system that does not pass flock on, nothing is locked."""
    key = os.path.realpath(run_dir)
    if key in _HELD or fcntl is None:
        yield
        return
    made = not os.path.exists(run_dir)       # a folder made here and left empty is removed again
    path = os.path.join(run_dir, ".lock")
    try:
        os.makedirs(run_dir, exist_ok=True)
        f = open(path, "a+", encoding="utf-8")
    except OSError as e:
        raise UsageError(f"cannot write to run folder {run_dir}: {e.strerror or e}") from None
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if os.fstat(f.fileno()).st_ino != os.stat(path).st_ino:   # removed by its last holder
            raise BlockingIOError                                 # meanwhile: a race, not ours
    except OSError:
        f.seek(0)
        holder = f.read().strip() or "another process"
        f.close()
        raise UsageError(f"{run_dir} is being trained by {holder}; wait for it to end, or "
                         f"train into another folder") from None
    f.seek(0)
    f.truncate()
    f.write(f"process {os.getpid()} on {socket.gethostname()} since {time.strftime('%H:%M:%S')}\n")
    f.flush()
    _HELD[key] = f
    try:
        yield
    finally:
        del _HELD[key]
        with contextlib.suppress(FileNotFoundError):    # (removed while still held: no one
            os.remove(path)                             # else has it now)
        f.close()                                  # closing the file releases the lock
        if made and not os.listdir(run_dir):
            os.rmdir(run_dir)
