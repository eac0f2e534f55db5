"""``minigan train`` and ``minigan lab``: a training run, the folder it leaves behind, its page.

    DIR/config.json      the resolved config (every default filled in)
    DIR/history.csv      one row every eval_every steps and at the last step, streamed
    DIR/metrics.json     the final metrics on the fixed noise batch, plus steps and seconds
    DIR/samples.png      real and generated points over D's heat map, the push −∇ₓ(G loss) on each
                         fake as arrows (1D: Goodfellow's Figure 1)
    DIR/history.png      losses, D outputs, gradient norms, sample quality
    DIR/checkpoint.npz   everything needed to resume, written atomically at every evaluation
    DIR/snapshots/, DIR/lab.html    what the lab page replays, and the page (--no-lab: neither)
    DIR/zspace.png       the noise plane coloured by the mode G(z) reaches (2D noise, a mixture)
    DIR/training.gif     with --gif: the run as an animation
    DIR/data.csv         with --data FILE: the run's copy of the user's points

Same seed and config give bit-identical history.csv and metrics.json, except metrics.json's
wall-clock ``seconds`` — on the same NumPy build and BLAS thread count (a different number of
BLAS threads may sum a matrix product in another order, and GAN training amplifies the last
bit). A run resumed with ``--resume DIR --steps N`` continues exactly where its checkpoint
stopped. A divergence (NaN/inf) stops the run with exit status 3 and leaves the
last healthy checkpoint; Ctrl-C (or SIGTERM, SIGHUP) finishes the step in progress and saves a
checkpoint there (train.fit), a second one stops at once with the last evaluation's checkpoint.
"""
import os
import shlex
import shutil
import signal
import sys
import time

import numpy as np

from ..config import ConfigError, TrainConfig
from ..data import is_points_file
from ..metrics import describe
from ..pictures import curves, digits, lab, plots, snapshots, zspace
from ..train import Diverged, Trainer, fit
from . import checkpoint
from .atomic import atomic_write
from .checkpoint import CheckpointError
from .errors import UsageError
from .folder import (History, Progress, check_fits, data_copy, load_snapshot, locked, open_run,
                     snapshot_steps, truncate_snapshots, write_json, write_snapshot)
from .options import add_config_arguments, config_overrides
from .points import PointsError, load_points

RUN_OPTIONS = ("steps",)      # what --resume may change
STOP_SIGNALS = tuple(getattr(signal, s) for s in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, s))


def add_train_arguments(p):
    add_config_arguments(p.add_argument_group(
        "training configuration (each a field of minigan.config.TrainConfig)"))
    r = p.add_argument_group("run folder")
    r.add_argument("--out", metavar="DIR", help="run folder (default: runs/DATA-LOSS-seedSEED, "
                   "numbered if it exists)")
    r.add_argument("--force", action="store_true", help="overwrite an existing run folder given by --out")
    r.add_argument("--resume", metavar="DIR", help="continue the run in DIR: to its planned end, or "
                   "for --steps more steps (--steps 0 finishes a run that stopped while drawing "
                   "its pictures)")
    r.add_argument("--gif", action="store_true", help="also write DIR/training.gif")
    r.add_argument("--gif-every", type=int, default=0, metavar="N",
                   help="steps between animation frames; 0 = about 60 frames per run (default: 0)")
    r.add_argument("--no-lab", dest="lab", action="store_false",
                   help="record no snapshots and write no lab.html, the replay page of minigan lab "
                        "(by default both are written)")
    r.add_argument("--quiet", action="store_true", help="no progress line")


# --- run folder ------------------------------------------------------------------------------

def default_out(cfg, prefix=""):
    """runs/[PREFIX]DATA-LOSS-seedS, numbered -2, -3, … past the folders that exist."""
    name = os.path.splitext(os.path.basename(cfg.data))[0] if is_points_file(cfg.data) else cfg.data
    base = os.path.join("runs", f"{prefix}{name}-{cfg.loss}-seed{cfg.seed}")
    out, i = base, 2
    while os.path.exists(out):
        out, i = f"{base}-{i}", i + 1
    return out


def prepare_dir(path, force):
    if os.path.exists(os.path.join(path, "config.json")) and not force:
        if os.path.exists(os.path.join(path, "checkpoint.npz")):
            raise UsageError(f"--out {path} already holds a run; continue it with --resume {path} "
                             f"or overwrite it with --force")
        raise UsageError(f"--out {path} holds a run that stopped before its first checkpoint "
                         f"(nothing to resume); start it again with --force")
    try:
        os.makedirs(path, exist_ok=True)
        probe = os.path.join(path, ".write-test")
        with open(probe, "w"):
            pass
        os.remove(probe)
    except OSError as e:
        raise UsageError(f"cannot write to run folder {path}: {e.strerror or e}") from None


# --- minigan train -----------------------------------------------------------------------------

def run_train(args):
    if args.gif_every < 0:
        raise UsageError("--gif-every: must be ≥ 0")
    overrides = config_overrides(args)
    try:
        cfg = None if args.resume else TrainConfig(**overrides).resolved()   # checked first
    except ConfigError as e:
        raise UsageError(str(e)) from None
    run_dir = args.resume or args.out or default_out(cfg)
    with locked(run_dir):                       # one trainer per run folder (folder.locked)
        try:
            if args.resume:
                trainer, _, seconds = resume(run_dir, overrides)
            else:
                trainer, seconds = new_run(cfg, run_dir, args.force), 0.0
        except (ConfigError, CheckpointError, PointsError) as e:
            raise UsageError(str(e)) from None
        planned_end = max(trainer.cfg.steps - trainer.step, 0)    # resume: to the planned end
        more = overrides.get("steps", planned_end) if args.resume else trainer.cfg.steps
        # a resumed run keeps the choice it started with: snapshots only if it has them
        lab = args.lab and (not args.resume or trainer.step == 0 or bool(snapshot_steps(run_dir)))
        gif_every = (args.gif_every or max(1, more // 60)) if args.gif else 0
        if getattr(args, "typed", None):
            record_command(run_dir, args.typed, bool(args.resume))
        return train_run(trainer, run_dir, more, seconds, args.quiet, gif_every, bool(args.resume),
                         lab=lab, page=lab)


COMMANDS = "command.txt"      # RUN/command.txt: each command that trained the run, as typed


def record_command(run_dir, words, resuming):
    """Add the command as typed to RUN/command.txt (a new run starts the file again)."""
    with open(os.path.join(run_dir, COMMANDS), "a" if resuming else "w", encoding="utf-8") as f:
        f.write(shlex.join(words) + "\n")


def typed_commands(run_dir):
    """The commands in RUN/command.txt, oldest first ([] if none were recorded)."""
    try:
        with open(os.path.join(run_dir, COMMANDS), encoding="utf-8") as f:
            return [line.strip() for line in f if line.strip()]
    except (OSError, UnicodeDecodeError):
        return []


def new_run(cfg, run_dir, force=False):
    """A Trainer for cfg, and its run folder made ready: checked writable (not an existing run
    unless force), with the run's copy of the user's points when cfg.data names a file (loaded
    here, once). Train it with ``train_run``; reopen the folder later with folder.open_run."""
    cfg = cfg.resolved()
    check_fits(cfg)
    data = load_points(cfg.data, cfg.conditional, cfg.dtype) if is_points_file(cfg.data) else None
    with locked(run_dir):
        prepare_dir(run_dir, force)
        trainer = Trainer(cfg, data=data)
        if data is not None:                        # keep the points with the run
            shutil.copyfile(cfg.data, data_copy(run_dir, cfg))
    return trainer


def resume(run_dir, overrides):
    """(trainer, run_dir, seconds) of the run in run_dir, restored from its checkpoint."""
    extra = sorted(set(overrides) - set(RUN_OPTIONS))
    if extra:
        raise UsageError(f"--resume continues a run with its own config; only --steps may be given "
                         f"(got {', '.join('--' + e.replace('_', '-') for e in extra)})")
    if os.path.exists(os.path.join(run_dir, "events.jsonl")):   # its config changes live there
        raise UsageError(f"{run_dir} is a live session: continue it with minigan live --resume "
                         f"{run_dir}, or train it again with minigan live --replay {run_dir} --out NEW")
    trainer, arrays = open_run(run_dir)
    return trainer, run_dir, float(arrays.get("seconds", 0.0))


def train_run(trainer, run_dir, steps, seconds=0.0, quiet=False, gif_every=0, resuming=False,
              lab=True, page=True):
    """Train for `steps` more steps, keeping the run folder up to date. Returns an exit code
    (0 done, 3 diverged, 130 interrupted), as ``minigan train`` does.

    seconds: training time so far (a resumed run's); quiet: no progress line; gif_every: steps
    between animation frames (0: no GIF); resuming: the folder holds this run's earlier rows;
    lab: record a snapshot at every evaluation (snapshots.py); page: write lab.html at the end.
    """
    with locked(run_dir):
        return _train_run(trainer, run_dir, steps, seconds, quiet, gif_every, resuming, lab, page)


def _train_run(trainer, run_dir, steps, seconds, quiet, gif_every, resuming, lab, page):
    cfg = trainer.cfg
    start = trainer.step
    end = start + steps
    cfg.steps = end
    write_json(os.path.join(run_dir, "config.json"), cfg.to_dict())
    ckpt = os.path.join(run_dir, "checkpoint.npz")
    # a resumed run keeps its rows up to here, on the eval grid: a row an earlier end wrote off
    # it is written again at the grid step (unless no step is to come: then it stays the last)
    kept, grid = (trainer.step if resuming else None), (cfg.eval_every if steps else 1)
    history = History(os.path.join(run_dir, "history.csv"), kept, grid)
    truncate_snapshots(run_dir, kept, grid)                           # as history.csv
    snaps = [load_snapshot(run_dir, s) for s in snapshot_steps(run_dir)] if lab else []
    if os.path.exists(os.path.join(run_dir, "metrics.json")):       # of an earlier end: stale now
        os.remove(os.path.join(run_dir, "metrics.json"))
    progress, frames = Progress(quiet, end), []
    t0 = time.perf_counter()

    def save():
        checkpoint.save(ckpt, {**checkpoint.arrays(trainer),
                               "seconds": np.array(seconds + time.perf_counter() - t0)})

    def on_eval(row):        # the checkpoint last: a crash before it leaves rows a resume drops
        history.write(row)
        if lab:
            snaps.append(snapshots.record(trainer))
            write_snapshot(run_dir, snaps[-1])
        save()
        if trainer.step > start:
            progress.update(trainer.step, row)

    frame = digits.frame if trainer.data.image_shape else plots.frame     # images: G's grid

    def on_step(trainer):
        if gif_every and trainer.step % gif_every == 0:
            frames.append(frame(trainer))
        progress.update(trainer.step)

    if gif_every:           # the first frame: G before this run's first step (the fixed eval set)
        frames.append(frame(trainer))
    try:
        # NaN/inf are caught explicitly (Diverged): numpy's warnings would only repeat it
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            fit(trainer, steps, cfg.eval_every, on_eval, on_step, evaluate_first=not resuming,
                stop_signals=STOP_SIGNALS)
    except Diverged as e:
        progress.close()
        kept = int(checkpoint.load(ckpt)["step"]) if os.path.exists(ckpt) else None
        print(f"minigan train: diverged: {e}; the last healthy checkpoint (step {kept}) is kept "
              f"in {ckpt}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:                 # at a step boundary (train.fit)
        progress.close()
        try:
            trainer.check_finite()
        except Diverged:
            print(f"minigan train: interrupted; parameters were not finite, {ckpt} left as it was",
                  file=sys.stderr)
            return 130
        save()
        print(f"minigan train: interrupted at step {trainer.step}; checkpoint saved. Continue with: "
              f"minigan train --resume {run_dir} --steps {end - trainer.step}", file=sys.stderr)
        return 130
    if progress.tty:
        progress.update(trainer.step, force=True)
    progress.close()
    save()
    seconds += time.perf_counter() - t0
    finish(trainer, run_dir, seconds, history, snaps, frames, page)
    return 0


def finish(trainer, run_dir, seconds, history, snaps, frames, page=False):
    """The pictures and metrics.json, from the final state of this very run. metrics.json comes
    last: a folder that holds it is finished and complete (a sweep skips it on a rerun)."""
    x_gen = trainer.generate(trainer.z_eval, trainer.labels_eval)
    metrics = {**trainer.sample_metrics(x_gen), "steps": trainer.step, "seconds": round(seconds, 3)}
    images = trainer.data.image_shape is not None      # 64 columns: grids of images, no plane
    if trainer.n_classes and (trainer.data.centers is not None or images):   # images: the judge's
        metrics["class_acc"] = trainer.class_accuracy(x_gen)
    title = f"{trainer.cfg.data} · {trainer.cfg.loss} · seed {trainer.cfg.seed}"
    samples_figure = digits.digits_figure if images else plots.samples_figure
    samples_figure(trainer, os.path.join(run_dir, "samples.png"))
    curves.history_figure(history.as_columns(), os.path.join(run_dir, "history.png"), title,
                          cfg=trainer.cfg)
    if frames and images:
        digits.animation(frames, os.path.join(run_dir, "training.gif"))
    elif frames:
        plots.animation(trainer, frames, os.path.join(run_dir, "training.gif"))
    zspace_png(trainer, run_dir, snaps)
    if page and snaps:
        write_page(trainer, snaps, history.as_columns(), run_dir, metrics=metrics)
    write_json(os.path.join(run_dir, "metrics.json"), metrics)
    print(f"run folder: {run_dir}")
    print(", ".join(describe(metrics) + [f"{trainer.step} steps in {seconds:.1f} s"]))


def write_page(trainer, snaps, history, run_dir, out=None, made_by=None, metrics=None):
    """Write the lab page (default RUN/lab.html) atomically; return its path."""
    path = out or os.path.join(run_dir, "lab.html")
    text = lab.page(trainer, snaps, history, run_dir, made_by, metrics, typed_commands(run_dir))
    try:
        atomic_write(path, lambda f: f.write(text))
    except OSError as err:
        raise UsageError(f"cannot write {path}: {err.strerror or err}") from None
    return path


def zspace_png(trainer, run_dir, snaps):
    """zspace.png: the noise plane coloured by mode at five recorded steps (2D noise, a mixture);
    for images, G's image at each cell of the plane (z1, z2) at the last step (digits.py)."""
    if trainer.data.image_shape:
        return digits.latent_figure(trainer, os.path.join(run_dir, "zspace.png"))
    if not snaps or trainer.cfg.z_dim < 2 or trainer.data.centers is None:
        return
    picks = sorted({round(i * (len(snaps) - 1) / 4) for i in range(5)})
    maps = []
    for i in picks:
        step, mode = int(snaps[i]["step"]), snaps[i]["mesh_mode"]
        reached = len(set(mode.ravel()) - {-1})     # not "modes captured": a grid, not samples
        maps.append((step, mode, f"the z grid reaches {reached}/{len(trainer.data.centers)}"))
    extra = f" (the slice z3… = 0 of {trainer.cfg.z_dim}-D noise)" if trainer.cfg.z_dim > 2 else ""
    zspace.zspace_figure(maps, os.path.join(run_dir, "zspace.png"), len(trainer.data.centers),
                         f"{trainer.cfg.data} · {trainer.cfg.loss} · seed {trainer.cfg.seed}\nthe noise "
                         f"plane (z1, z2){extra} coloured by the mode G(z) lands on (within 3 std); "
                         f"grey: none", centers=trainer.data.centers)


# --- minigan lab -------------------------------------------------------------------------------

def add_lab_arguments(p):
    p.add_argument("run", metavar="RUN_DIR", help="a run folder made by minigan train")
    p.add_argument("--out", metavar="FILE", help="where to write the page (default: RUN_DIR/lab.html)")


def run_lab(args):
    """Rebuild the lab page of a finished or interrupted run from its folder."""
    import zipfile
    from .folder import read_history, read_json
    run_dir = os.fspath(args.run)
    trainer, _ = open_run(run_dir, restore=False)
    steps = snapshot_steps(run_dir)
    if not steps:
        raise UsageError(f"{run_dir} has no snapshots (made before minigan 0.3 or with --no-lab); "
                         f"rerun it without --no-lab to get a lab page")
    want = snapshots.record(trainer)           # what this config records: names, shapes, dtypes
    try:
        snaps = [load_snapshot(run_dir, s) for s in steps]
        for step, snap in zip(steps, snaps):
            bad = [k for k in want if k not in snap or snap[k].shape != want[k].shape
                   or snap[k].dtype != want[k].dtype or (snap[k].dtype.kind == "f" and
                   np.isnan(snap[k]).all() and snap[k].size)]
            if bad or int(snap["step"]) != step:
                raise ValueError(f"snapshot of step {step} does not fit this run's config "
                                 f"({', '.join(bad) or 'step'})")
        path = os.path.join(run_dir, "history.csv")
        history = read_history(path) if os.path.exists(path) else {}
        metrics_path = os.path.join(run_dir, "metrics.json")
        metrics = read_json(metrics_path) if os.path.exists(metrics_path) else None
        path = write_page(trainer, snaps, history, run_dir, args.out,
                          made_by="minigan lab " + shlex.quote(args.run), metrics=metrics)
    except (OSError, ValueError, TypeError, KeyError, IndexError, zipfile.BadZipFile) as e:
        raise UsageError(f"cannot read the run in {run_dir}: {type(e).__name__}: {e}") from None
    print(f"lab page: {path} ({os.path.getsize(path) / 1e6:.2f} MB)")
    return 0
