r"""One live session's run: the trainer, its run folder, and every control as an event.

``Session`` has no thread and no server: it is the part that must be exact, shared by the live
page (live/app.py drives it from a training thread) and by the replay (replay.py drives it from
the event log). What it does, each as one method:

    iterate()          one iteration of Algorithm 1 (Trainer.train_step, untouched), a history
                       row, snapshot and checkpoint at each eval_every step (as minigan train)
    lone("d"|"g")      one D update (Trainer.d_step) or one G update (Trainer.g_step) on its own
    set(changes)       change config fields that need no new networks (SETTABLE), validated
    stop(why)          the last row (off the grid: losses kept running, as train.fit), checkpoint

Where the run is, is counted three ways: ``step`` (iterations, Trainer.step: the eval grid and
the learning-rate schedule follow it), ``d`` and ``g`` (updates of each player). A lone update
moves d or g, never step: the run stands *between* iterations, and the Trainer's state (θ, the
optimizers, the generator) is all there is to it — so a checkpoint taken there, a stop and a
resume need nothing else; the checkpoint also keeps d and g. History rows come per iteration:
a lone update shows in the next row.

RUN/events.jsonl, one JSON object a line: where it took effect {"step", "d", "g"}, "event" and
its fields. Events that change the trajectory: ``step_d``, ``step_g``, ``set`` (the changed fields
with their new values), ``diverged``; ``stop`` / ``interrupted`` end the session; the rest (play,
pause, speed, start, resume) is the story of the session. Between two events only whole
iterations happen, so config.json (the config at the start) and this log are the whole session.
"""
import dataclasses
import json
import math
import os
import time

import numpy as np

from ..config import LOSS_DEFAULTS, ConfigError
from ..losses import LOSSES
from ..pictures import snapshots
from ..runs import checkpoint
from ..runs.run import write_page
from ..runs.folder import History, load_snapshot, snapshot_steps, truncate_snapshots, write_json, write_snapshot
from ..runs.threads import THREAD_VARS
from ..train import Diverged

EVENTS = "events.jsonl"
# what may change mid-run: each is read afresh at every step, none needs new networks or a new
# optimizer (the optimizer, its betas, widths, remedies built into D, the data's shape do)
SETTABLE = ("lr_d", "lr_g", "k", "loss", "lr_half_life", "clip", "gp", "r1", "r2", "update", "unroll")
# a loss's defaults a change of loss brings along (LOSS_DEFAULTS minus the optimizer's own fields)
BROUGHT = ("k", "lr_d", "lr_g", "lr_half_life", "clip", "gp")
# trajectory events: the replay applies these; every other event is the session's story
APPLIED = ("step_d", "step_g", "set")


class ControlError(ValueError):
    """A control the session refuses; the message is shown in the page and nothing changes."""


def blas_threads():
    """The BLAS thread count the environment sets (what cli.choose_blas_threads chose), or None."""
    for var in THREAD_VARS:
        if os.environ.get(var, "").isdigit():
            return int(os.environ[var])
    return None


def read_events(run_dir):
    """RUN/events.jsonl as a list of dicts ([] if there is none)."""
    path = os.path.join(run_dir, EVENTS)
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def with_defaults(cfg, loss):
    """The changes a switch to ``loss`` makes when it brings the loss's defaults (BROUGHT): the
    game the loss's paper plays, on the optimizer already running. A joint update rule keeps
    k = 1 (it takes one step of each player per iteration)."""
    brought = {k: v for k, v in LOSS_DEFAULTS[loss].items() if k in BROUGHT}
    if cfg.update != "alternating":
        brought["k"] = 1
    return {"loss": loss, **brought}


class Session:
    """A trainer, its run folder and its event log (see the module docstring).

    counts: (d, g) updates so far (a resumed session's, from its checkpoint); resuming: the folder
    holds this run's rows up to trainer.step; seconds: training time so far."""

    def __init__(self, trainer, run_dir, counts=(0, 0), resuming=False, seconds=0.0):
        self.t, self.run_dir = trainer, run_dir
        self.d, self.g = counts
        cfg, self.seconds, self.t0 = trainer.cfg, seconds, time.perf_counter()
        kept = trainer.step if resuming else None
        if not resuming:
            write_json(os.path.join(run_dir, "config.json"), cfg.to_dict())
        self.history = History(os.path.join(run_dir, "history.csv"), kept, cfg.eval_every)
        truncate_snapshots(run_dir, kept, cfg.eval_every)
        self.snaps = [load_snapshot(run_dir, s) for s in snapshot_steps(run_dir)]
        self.log_file = open(os.path.join(run_dir, EVENTS), "a" if resuming else "w", encoding="utf-8")
        self.healthy = (trainer.state(), counts)
        rows = self.history.rows            # a resumed run's last kept row (its stop row is dropped)
        self.last_row = int(rows[-1]["step"]) if rows else None
        self.log("resume" if resuming else "start", blas_threads=blas_threads())
        if not resuming:
            self.evaluate()

    # --- where the run is, and the log ------------------------------------------------------

    def position(self):
        return {"step": self.t.step, "d": self.d, "g": self.g}

    def log(self, event, at=None, **fields):
        """Append one event at position ``at`` (default: the current one); flushed, so a killed
        process keeps its log."""
        self.log_file.write(json.dumps({**(at or self.position()), "event": event, **fields}) + "\n")
        self.log_file.flush()

    # --- the updates ------------------------------------------------------------------------

    def iterate(self):
        """One iteration (Trainer.train_step); a row, snapshot and checkpoint on the eval grid."""
        k = self.t.cfg.k if self.t.cfg.update == "alternating" else 1
        try:
            self.t.train_step()
            self.d, self.g = self.d + k, self.g + 1
            if self.t.step % self.t.cfg.eval_every == 0:
                self.evaluate()
        except Diverged as e:
            self.diverged(e, "iteration")

    def lone(self, who):
        """One update of D ("d") or of G ("g") alone, at the learning rate of the current step.

        Offered under --update alternating (with or without --unroll: Algorithm 1's own two
        stanzas); refused under the joint rules, whose step moves both players from one point
        (a D step, then a G step that sees it, would be the alternating rule)."""
        cfg = self.t.cfg
        if cfg.update != "alternating":
            raise ControlError(f"one {who.upper()} update alone is not a step of --update {cfg.update}, "
                               f"which moves both players from the same point: step one iteration")
        self.schedule_lr()
        at = self.position()                      # where it takes effect: before the update
        out = self.t.d_step() if who == "d" else self.t.g_step()
        if not math.isfinite(out["loss"]):
            self.diverged(Diverged(f"non-finite {who.upper()} loss in a lone {who.upper()} update"),
                          f"step_{who}")
        if who == "d":
            self.d += 1
        else:
            self.g += 1
        self.log(f"step_{who}", at)

    def schedule_lr(self):
        """Each optimizer's lr as train_step sets it: cfg's, halved every lr_half_life steps."""
        cfg = self.t.cfg
        decay = 0.5 ** (self.t.step / cfg.lr_half_life) if cfg.lr_half_life else 1.0
        self.t.opt_d.lr, self.t.opt_g.lr = cfg.lr_d * decay, cfg.lr_g * decay

    def diverged(self, error, during):
        """Back to the last evaluation (θ, optimizers, generator, counts), logged; re-raised.
        during: what diverged ("iteration", "step_d", "step_g"), for the replay."""
        self.log("diverged", during=during, message=str(error))
        state, (self.d, self.g) = self.healthy
        self.t.load_state(state)
        raise error

    # --- rows, snapshots, checkpoint --------------------------------------------------------

    def evaluate(self):
        """A history row (the losses reset on the grid only, as train.fit), its snapshot, a checkpoint."""
        t = self.t
        row = t.evaluate(reset=t.step % t.cfg.eval_every == 0)
        self.history.write(row)
        self.snaps.append(snapshots.record(t))       # reads G and D, draws nothing
        write_snapshot(self.run_dir, self.snaps[-1])
        self.save()
        self.healthy, self.last_row = (t.state(), (self.d, self.g)), t.step

    def save(self):
        """checkpoint.npz: the trainer's state, the training time and the update counts."""
        checkpoint.save(os.path.join(self.run_dir, "checkpoint.npz"), {
            **checkpoint.arrays(self.t), "seconds": np.array(self.elapsed()),
            "d_updates": np.array(self.d), "g_updates": np.array(self.g)})

    def elapsed(self):
        return self.seconds + time.perf_counter() - self.t0

    # --- changes ------------------------------------------------------------------------------

    def set(self, changes):
        """Change SETTABLE fields from the next update on; ControlError (nothing changed) for a
        field that is not settable or a value the config refuses. Returns the fields changed."""
        bad = sorted(set(changes) - set(SETTABLE))
        if bad:
            raise ControlError(f"{', '.join(bad)}: cannot change mid-run (it needs new networks or "
                               f"a new optimizer); start a new run with it")
        cfg = self.t.cfg
        typed = {k: float(v) if isinstance(getattr(cfg, k), float) and isinstance(v, int)
                 and not isinstance(v, bool) else v for k, v in changes.items()}
        try:
            new = dataclasses.replace(cfg, **typed)
            new.validate()
        except (ConfigError, TypeError) as e:
            raise ControlError(str(e)) from None
        changed = {k: v for k, v in typed.items() if getattr(cfg, k) != v}
        self.apply(new, cfg)
        if changed:
            self.log("set", changes=changed)
        return changed

    def apply(self, new, old):
        """Make the trainer play ``new``: what its steps read from cfg, and the few things built
        from it once (the loss functions, WGAN's clipping as D's projection, the optimizers' lr)."""
        t = self.t
        t.cfg = new
        t.d_loss, t.g_loss = LOSSES[new.loss]
        t.players[0].project = t.clip_d if new.clip > 0 else None
        if new.update == "optimistic" and old.update != "optimistic":
            for p in t.players:                   # Δ₀ = 0 again: its first step is doubled
                for v in p.prev.values():
                    v[...] = 0
        self.schedule_lr()

    # --- the end --------------------------------------------------------------------------------

    def finish(self):
        """metrics.json and lab.html, as minigan train ends a run; not its matplotlib pictures
        (samples.png, history.png: seconds each, and the page draws all they show)."""
        t = self.t
        x_gen = t.generate(t.z_eval, t.labels_eval)
        metrics = {**t.sample_metrics(x_gen), "steps": t.step, "seconds": round(self.elapsed(), 3)}
        write_page(t, self.snaps, self.history.as_columns(), self.run_dir, metrics=metrics)
        write_json(os.path.join(self.run_dir, "metrics.json"), metrics)

    def stop(self, event="stop", **fields):
        """The last row if the run stands off the grid (train.fit's), a checkpoint, the log closed."""
        if self.last_row != self.t.step:
            self.evaluate()
        self.save()
        self.log(event, **fields)
        self.log_file.close()
