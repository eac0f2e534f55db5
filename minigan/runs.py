"""``minigan train`` and ``minigan sample``: a training run and the folder it leaves behind.

    DIR/config.json      the resolved config (every default filled in)
    DIR/history.csv      one row every eval_every steps, streamed (memory stays flat)
    DIR/metrics.json     the final metrics on the fixed noise batch, plus steps and seconds
    DIR/samples.png      real and generated points over D's heat map, the push −∇ₓ(G loss) on each
                         fake as arrows (1D: Goodfellow's Figure 1)
    DIR/history.png      losses, D outputs, gradient norms, sample quality
    DIR/checkpoint.npz   everything needed to resume, written atomically at every evaluation
    DIR/training.gif     with --gif: the run as an animation

Same seed and config give bit-identical history.csv and metrics.json, except metrics.json's
wall-clock ``seconds`` — on the same NumPy build and BLAS thread count (a different number of
BLAS threads may sum a matrix product in another order, and GAN training amplifies the last
bit). A run resumed with ``--resume DIR --steps N`` continues exactly where its checkpoint
stopped. A divergence (NaN/inf) stops the run with exit status 3 and leaves the
last healthy checkpoint; Ctrl-C saves a checkpoint first.
"""
import csv
import json
import os
import sys
import time

import numpy as np

from . import checkpoint, curves, plots
from .checkpoint import CheckpointError
from .config import ConfigError, TrainConfig
from .errors import UsageError
from .options import add_config_arguments, config_overrides
from .train import Diverged, Trainer

RUN_OPTIONS = ("steps",)      # what --resume may change


def add_train_arguments(p):
    add_config_arguments(p.add_argument_group(
        "training configuration (each a field of minigan.config.TrainConfig)"))
    r = p.add_argument_group("run folder")
    r.add_argument("--out", metavar="DIR", help="run folder (default: runs/DATA-LOSS-seedSEED, "
                   "numbered if it exists)")
    r.add_argument("--force", action="store_true", help="overwrite an existing run folder given by --out")
    r.add_argument("--resume", metavar="DIR", help="continue the run in DIR for --steps more steps")
    r.add_argument("--gif", action="store_true", help="also write DIR/training.gif")
    r.add_argument("--gif-every", type=int, default=0, metavar="N",
                   help="steps between animation frames (0: about 60 frames per run)")
    r.add_argument("--quiet", action="store_true", help="no progress line")


def add_sample_arguments(p):
    p.add_argument("--run", required=True, metavar="DIR", help="a run folder with a checkpoint.npz")
    p.add_argument("-n", type=int, default=1000, help="number of samples")
    p.add_argument("--out", metavar="FILE", help="FILE.csv or FILE.npy (default: CSV on stdout)")
    p.add_argument("--class", dest="klass", type=int, metavar="K",
                   help="draw from class K (conditional runs only)")
    p.add_argument("--seed", type=int, default=0, help="seed of the noise")


# --- run folder ------------------------------------------------------------------------------

def default_out(cfg):
    base = os.path.join("runs", f"{cfg.data}-{cfg.loss}-seed{cfg.seed}")
    out, i = base, 2
    while os.path.exists(out):
        out, i = f"{base}-{i}", i + 1
    return out


def prepare_dir(path, force):
    if os.path.exists(os.path.join(path, "config.json")) and not force:
        raise UsageError(f"--out {path} already holds a run; continue it with --resume {path} "
                         f"or overwrite it with --force")
    try:
        os.makedirs(path, exist_ok=True)
        probe = os.path.join(path, ".write-test")
        with open(probe, "w"):
            pass
        os.remove(probe)
    except OSError as e:
        raise UsageError(f"cannot write to run folder {path}: {e.strerror or e}") from None


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


# --- minigan train -----------------------------------------------------------------------------

def run_train(args):
    overrides = config_overrides(args)
    try:
        if args.resume:
            trainer, run_dir, seconds = resume(args.resume, overrides)
        else:
            trainer = Trainer(TrainConfig(**overrides))
            run_dir = args.out or default_out(trainer.cfg)
            prepare_dir(run_dir, args.force)
            seconds = 0.0
    except (ConfigError, CheckpointError) as e:
        raise UsageError(str(e)) from None
    more = trainer.cfg.steps if not args.resume else overrides.get("steps", trainer.cfg.steps)
    if args.gif_every < 0:
        raise UsageError("--gif-every: must be ≥ 0")
    gif_every = (args.gif_every or max(1, more // 60)) if args.gif else 0
    return train_run(trainer, run_dir, more, seconds, args.quiet, gif_every, bool(args.resume))


def resume(run_dir, overrides):
    extra = sorted(set(overrides) - set(RUN_OPTIONS))
    if extra:
        raise UsageError(f"--resume continues a run with its own config; only --steps may be given "
                         f"(got {', '.join('--' + e.replace('_', '-') for e in extra)})")
    arrays = checkpoint.load(os.path.join(run_dir, "checkpoint.npz"))
    trainer = Trainer(TrainConfig.from_dict(json.loads(str(arrays["config"]))))
    trainer.load_state(arrays)
    return trainer, run_dir, float(arrays.get("seconds", 0.0))


def train_run(trainer, run_dir, steps, seconds, quiet, gif_every=0, resuming=False):
    """Train for `steps` more steps, keeping the run folder up to date. Returns an exit code."""
    cfg = trainer.cfg
    end = trainer.step + steps
    cfg.steps = end
    write_json(os.path.join(run_dir, "config.json"), cfg.to_dict())
    ckpt = os.path.join(run_dir, "checkpoint.npz")
    history = History(os.path.join(run_dir, "history.csv"), trainer.step if resuming else None)
    progress, frames = Progress(quiet, end), []
    t0 = time.perf_counter()

    def save():
        checkpoint.save(ckpt, {**trainer.state_arrays(),
                               "seconds": np.array(seconds + time.perf_counter() - t0)})

    def loop():
        if not resuming:
            history.write(trainer.evaluate())
            save()
        if gif_every:       # the first frame: G before this run's first step (the fixed eval set)
            frames.append(plots.frame(trainer))
        while trainer.step < end:
            trainer.train_step()
            if gif_every and trainer.step % gif_every == 0:
                frames.append(plots.frame(trainer))
            if trainer.step % cfg.eval_every == 0:
                row = trainer.evaluate()
                save()
                history.write(row)
                progress.update(trainer.step, row)
            else:
                progress.update(trainer.step)
        trainer.check_finite()

    try:
        # NaN/inf are caught explicitly (Diverged): numpy's warnings would only repeat it
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            loop()
    except Diverged as e:
        progress.close()
        kept = int(checkpoint.load(ckpt)["step"]) if os.path.exists(ckpt) else None
        print(f"minigan train: diverged: {e}; the last healthy checkpoint (step {kept}) is kept "
              f"in {ckpt}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
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
    finish(trainer, run_dir, seconds, frames)
    return 0


def finish(trainer, run_dir, seconds, frames):
    """metrics.json and the pictures, from the final state of this very run."""
    x_gen = trainer.generate(trainer.z_eval, trainer.labels_eval)
    metrics = {**trainer.sample_metrics(x_gen), "steps": trainer.step, "seconds": round(seconds, 3)}
    if trainer.n_classes and trainer.data.centers is not None:
        metrics["class_acc"] = trainer.class_accuracy(x_gen)
    write_json(os.path.join(run_dir, "metrics.json"), metrics)
    plots.samples_figure(trainer, os.path.join(run_dir, "samples.png"))
    hist = curves.read_history(os.path.join(run_dir, "history.csv"))
    curves.history_figure(hist, os.path.join(run_dir, "history.png"),
                         f"{trainer.cfg.data} · {trainer.cfg.loss} · seed {trainer.cfg.seed}",
                         cfg=trainer.cfg)
    if frames:
        plots.animation(trainer, frames, os.path.join(run_dir, "training.gif"))
    print(f"run folder: {run_dir}")
    print(", ".join(describe(metrics) + [f"{trainer.step} steps in {seconds:.1f} s"]))


# --- minigan sample ----------------------------------------------------------------------------

def run_sample(args):
    try:
        trainer, _, _ = resume(args.run, {})
    except CheckpointError as e:
        raise UsageError(str(e)) from None
    if args.n < 1:
        raise UsageError(f"-n must be ≥ 1, got {args.n}")
    K = trainer.n_classes
    if args.klass is not None and not K:
        raise UsageError(f"--class: the run in {args.run} is not conditional (train with --conditional)")
    if args.klass is not None and not 0 <= args.klass < K:
        raise UsageError(f"--class {args.klass}: this run has classes 0..{K - 1}")
    rng = np.random.default_rng(args.seed)
    z = rng.standard_normal((args.n, trainer.cfg.z_dim), dtype=trainer.dtype)
    labels = None
    if K:
        labels = (np.full(args.n, args.klass) if args.klass is not None
                  else rng.choice(K, size=args.n, p=trainer.prior))
    x = trainer.generate(z, labels)
    out = x if labels is None else np.column_stack([x, labels])
    header = ",".join(["x", "y"][:trainer.data.dim] + (["label"] if K else []))
    fmt = ["%.9g"] * trainer.data.dim + (["%d"] if K else [])
    if args.out is None:
        np.savetxt(sys.stdout, out, delimiter=",", header=header, comments="", fmt=fmt)
    elif args.out.endswith(".npy"):
        np.save(args.out, out)
    elif args.out.endswith(".csv"):
        np.savetxt(args.out, out, delimiter=",", header=header, comments="", fmt=fmt)
    else:
        raise UsageError(f"--out {args.out}: the file name must end in .csv or .npy")
    return 0
