r"""The live session: a training thread that owns the trainer, and what the page may ask of it.

One thread trains (``Live.run``) and is the only one that touches the Trainer: a control from the
page (server.py) is queued, done by that thread between two updates, and answered — so a control
always lands on an update boundary and in the order the server got it. Pictures are made by that same
thread, between two updates (a frame reads G and D and draws no random numbers, never calls
Trainer.evaluate): a second thread drawing them beside training cost far more, measured — it
takes a core from the BLAS threads, which wait for each other at every product. A frame is
snapshots.record's, lighter: D's field on a 48² grid (not 64²) and the push only on the 150 fakes
that get an arrow (lab.ARROWS), ~6 ms on the default run.

The redraw rate adapts: a frame is made only while a page is asking for frames (the page asks
for the next one when it has drawn the last), and no sooner than the last frame's cost divided
by BUDGET after the previous one — so frames take at most BUDGET of the training thread's time —
and never more often than MAX_FPS. ``speed`` N > 0 is GAN Lab's slow motion: N iterations, then
the picture of that moment, each drawn before the next N begin.

Every tab with the URL sees the same session and may control it; closing the last tab changes
nothing (training goes on, or stays paused, and no frames are made). The process ends with the
page's "end session" (the run is finished: pictures, lab.html, metrics.json) or Ctrl-C in the
terminal (stops at an update boundary, checkpoint saved: ``minigan live --resume RUN``).
"""
import contextlib
import dataclasses
import shutil
import os
import threading
import time
from collections import deque

import numpy as np

from ..data import DATASETS, get_dataset
from ..losses import LOSSES
from ..pictures import lab, snapshots
from ..pictures.plots import d_surface, push
from ..pictures.zspace import mode_map
from ..runs.errors import UsageError
from ..runs.folder import columns, data_copy, locked
from ..runs.points import PointsError, load_points
from ..runs.run import prepare_dir
from ..train import Diverged, Trainer
from .session import SETTABLE, ControlError, Session, with_defaults

BUDGET = 0.1        # share of the training thread's time the frames may take
MAX_FPS = 15
FIELD = 48          # D's field in a frame: grid points per axis (2D)
ASKED = 2.0         # seconds a page's last request keeps the frames coming


def live_datasets():
    """The built-in datasets the live page draws: 1D and 2D ones (not the 64-pixel digits)."""
    return [name for name in DATASETS if get_dataset(name).dim <= 2]


class Live:
    """A live session: the current run (a Session), the play state, the queue of controls.

    out: the first run folder; the next runs of the session (new seed, dataset or drawn points)
    go beside it, OUT-2, OUT-3, …"""

    def __init__(self, session, out, pause_at, playing=False):
        self.session, self.base, self.folders = session, out, [out]
        self.pause_at, self.playing, self.speed = pause_at, playing, 0
        self.cond = threading.Condition()
        self.queue, self.version, self.served = deque(), 0, 0
        self.view, self.cost = None, 0.006
        self.asked, self.last_view, self.since_view = 0.0, 0.0, 0
        self.run_id, self.message, self.ended, self.result = 1, "", threading.Event(), None
        self.error, self.stack = None, contextlib.ExitStack()    # the stack holds the run's lock
        self.session.log("play" if playing else "pause")
        self.take_view()

    # --- asked by the server's threads ----------------------------------------------------------

    def control(self, action, body, timeout=60.0):
        """Queue a control for the training thread and wait for its answer: {"ok": …, "message"}."""
        reply = {"done": threading.Event()}
        with self.cond:
            if self.ended.is_set():
                return {"ok": False, "message": "the session has ended"}
            self.queue.append((action, body, reply))
            self.cond.notify_all()
        if not reply["done"].wait(timeout):
            return {"ok": False, "message": "no answer from the training thread"}
        return {k: v for k, v in reply.items() if k != "done"}

    def frame(self, after, timeout=1.0):
        """The newest frame once its version is past ``after`` (or after timeout): the page's JSON."""
        deadline = time.monotonic() + timeout
        with self.cond:
            self.asked = time.monotonic()
            while self.version <= after and not self.ended.is_set():
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.cond.wait(left)
            self.served = max(self.served, self.version)
            self.cond.notify_all()
            return {**self.view, "version": self.version, "ended": self.ended.is_set(),
                    "frame_ms": round(1000 * self.cost, 1)}

    # --- the training thread ----------------------------------------------------------------------

    def run(self, interrupt):
        """Train while playing, do the queued controls, take views; until stop or ``interrupt``
        (a threading.Event: Ctrl-C) — then finish or checkpoint the run."""
        try:
            while not self.ended.is_set():
                if interrupt.is_set():
                    self.session.stop("interrupted")
                    self.result = 130
                    break
                self.do_controls()
                if self.playing and not self.ended.is_set():
                    self.play_some()
                elif not self.ended.is_set():
                    with self.cond:
                        if not self.queue:
                            self.cond.wait(0.05)
                    self.maybe_view(force=False)
        except (OSError, UsageError) as e:        # a full disk, a folder gone: one line, exit 2
            self.error, self.result = e, 2
        finally:
            self.ended.set()
            with self.cond:
                for _, _, reply in self.queue:
                    reply.update(ok=False, message="the session has ended")
                    reply["done"].set()
                self.cond.notify_all()

    def play_some(self):
        """Iterations for ~20 ms (or up to the next slow-motion picture), then maybe a view."""
        t0, s = time.perf_counter(), self.session
        while time.perf_counter() - t0 < 0.02:
            try:
                s.iterate()
            except Diverged as e:
                self.pause(f"diverged: {e}; back to step {s.t.step}, its last evaluation")
                break
            self.since_view += 1
            if self.pause_at is not None and s.t.step >= self.pause_at:
                self.pause(f"paused at step {s.t.step}, the planned --steps; play goes on")
                self.pause_at = None
                break
            if self.speed and self.since_view >= self.speed:
                self.take_view()
                self.wait_drawn()
                return
            if self.queue:
                return
        self.maybe_view(force=False)

    def wait_drawn(self, timeout=1.0):
        """Slow motion: wait until a page has fetched the newest frame (or a page stopped asking)."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while (self.served < self.version and not self.queue and time.monotonic() < deadline
                   and time.monotonic() - self.asked < ASKED):
                self.cond.wait(0.02)

    def maybe_view(self, force):
        """A new view if a page is asking and the adaptive interval has passed (module docstring)."""
        now = time.monotonic()
        if self.speed and not force:
            return
        interval = max(1.0 / MAX_FPS, self.cost / BUDGET)
        if force or (now - self.asked < ASKED and now - self.last_view >= interval
                     and self.served >= self.version and self.since_view):
            self.take_view()

    def take_view(self):
        """A new frame of G and D now, with the session's numbers (no random draws)."""
        s, t = self.session, self.session.t
        n = t.window["steps"]
        live = {"run": self.run_id, "run_dir": s.run_dir, "position": s.position(),
                "playing": self.playing, "speed": self.speed, "message": self.message,
                "config": {k: getattr(t.cfg, k) for k in SETTABLE}, "lr": [t.opt_d.lr, t.opt_g.lr],
                "running": {k: t.window[k] / n for k in ("d_loss", "g_loss")} if n else None}
        t0 = time.perf_counter()
        frame = make_frame(t, s.history.rows, live)
        self.cost = 0.8 * self.cost + 0.2 * (time.perf_counter() - t0)
        with self.cond:
            self.view, self.version = frame, self.version + 1
            self.last_view, self.since_view = time.monotonic(), 0
            self.cond.notify_all()

    def pause(self, message=""):
        self.playing, self.message = False, message
        self.session.log("pause", **({"why": message} if message else {}))

    # --- the controls -----------------------------------------------------------------------------

    def do_controls(self):
        while True:
            with self.cond:
                if not self.queue:
                    return
                action, body, reply = self.queue.popleft()
            try:
                reply.update(ok=True, message=self.do(action, body) or "")
                self.message = reply["message"]
            except (ControlError, UsageError) as e:
                reply.update(ok=False, message=str(e))
            except Diverged as e:
                self.pause(f"diverged: {e}; back to step {self.session.t.step}")
                reply.update(ok=False, message=self.message)
            finally:
                if not self.ended.is_set():
                    self.take_view()
                reply["done"].set()

    def do(self, action, body):
        """One control; returns the message for the page, ControlError to refuse it."""
        s = self.session
        if action in ("play", "pause"):
            self.playing = action == "play"
            s.log(action)
            return ""
        if action == "step":
            self.playing = False
            s.iterate()
            return "one iteration: k D updates, then one G update"
        if action in ("step_d", "step_g"):
            self.playing = False
            s.lone(action[-1])
            return f"one {action[-1].upper()} update"
        if action == "speed":
            n = body.get("n")
            if not isinstance(n, int) or isinstance(n, bool) or not 0 <= n <= 10_000:
                raise ControlError(f"speed: iterations between redraws, 0 (adaptive) to 10000, got {n!r}")
            self.speed = n
            s.log("speed", n=n)
            return ""
        if action == "set":
            return self.set(body)
        if action == "restart":
            return self.restart(body)
        if action == "stop":
            self.end()
            return "session ended"
        raise ControlError(f"unknown control {action!r}")

    def set(self, body):
        changes = body.get("changes")
        if not isinstance(changes, dict) or not changes:
            raise ControlError("set: give the fields to change")
        if "loss" in changes and body.get("defaults"):
            if changes["loss"] not in LOSSES:
                raise ControlError(f"loss: {changes['loss']!r} is not a loss")
            changes = {**with_defaults(self.session.t.cfg, changes["loss"]), **changes}
        changed = self.session.set(changes)
        if not changed:
            return "nothing changed"
        return "changed from the next update: " + ", ".join(f"{k} = {v}" for k, v in changed.items())

    def end(self):
        """End the session: the run's last row and checkpoint, its pictures and lab.html."""
        s = self.session
        s.stop("stop")
        s.finish()
        self.result = 0
        self.ended.set()

    # --- a new run: seed, dataset or drawn points -------------------------------------------------

    def restart(self, body):
        """Finish this run and start the next in a new folder (OUT-2, …), with the current config
        and a new seed, a built-in dataset or the page's points. Checked before anything ends."""
        cfg = self.session.t.cfg
        change, points = new_run_change(body, cfg), body.get("points")
        out = next_folder(self.base, len(self.folders) + 1)
        new, stack = dataclasses.replace(cfg, **change), contextlib.ExitStack()
        stack.enter_context(locked(out))                       # the new folder's lock first
        try:
            prepare_dir(out, force=False)
            data = None
            if points is not None:
                path = os.path.join(out, "drawn.csv")
                write_points(path, points, body.get("labels"), cfg.conditional)
                try:
                    data = load_points(path, new.conditional, new.dtype)
                except PointsError as e:
                    os.remove(path)
                    raise ControlError(str(e)) from None
                new = dataclasses.replace(new, data=path)
                shutil.copyfile(path, data_copy(out, new))     # the run's copy, as --data FILE
            trainer = Trainer(new.resolved(), data=data)
        except ValueError as e:                                 # ConfigError, PointsError
            stack.close()
            raise ControlError(str(e)) from None
        except BaseException:
            stack.close()
            raise
        s = self.session
        s.stop("stop", why=f"new run in {out}")
        s.finish()
        self.stack.close()                       # the old folder's lock
        self.stack = stack
        self.session, self.run_id = Session(trainer, out), self.run_id + 1
        self.folders.append(out)
        self.playing, self.pause_at = False, None
        self.session.log("pause")
        return f"new run in {out}"


def new_run_change(body, cfg):
    """The config change a restart asks for: {"seed"}, {"data"} or points; ControlError if bad."""
    if "seed" in body:
        seed = body["seed"]
        if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
            raise ControlError(f"seed: must be an integer ≥ 0, got {seed!r}")
        return {"seed": seed}
    if "data" in body:
        if body["data"] not in live_datasets():
            raise ControlError(f"data: {body['data']!r} is not one of {', '.join(live_datasets())}")
        return {"data": body["data"]}
    if "points" in body:
        return {}
    raise ControlError("restart: give a seed, a dataset or points")


def write_points(path, points, labels, conditional):
    """The page's points as the CSV --data reads (x[,y][,label]); ControlError for a bad list."""
    ok = (isinstance(points, list) and 2 <= len(points) <= 100_000 and
          all(isinstance(p, list) and 1 <= len(p) <= 2 and len(p) == len(points[0]) and
              all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in p) for p in points))
    if not ok:
        raise ControlError("points: draw at least 2 points (a list of [x] or [x, y])")
    if conditional and (not isinstance(labels, list) or len(labels) != len(points)):
        raise ControlError("points: a conditional run needs a class for every point")
    head = ["x", "y"][:len(points[0])] + (["label"] if conditional else [])
    with open(path, "w", encoding="utf-8") as f:
        f.write(",".join(head) + "\n")
        for k, p in enumerate(points):
            f.write(",".join([repr(float(v)) for v in p] + ([str(labels[k])] if conditional else [])) + "\n")


def next_folder(base, n):
    """The n-th run folder of a session: OUT, OUT-2, OUT-3, … (skipping ones that exist)."""
    out = base if n == 1 else f"{base}-{n}"
    while os.path.exists(os.path.join(out, "config.json")):
        n += 1
        out = f"{base}-{n}"
    return out


FRAME_SCALE = ("The colour scale is this frame's own: D(x) probabilities on [0, 1]; a raw output "
               "over its range now")


def make_frame(trainer, rows, live):
    """What the page draws now: lab.py's page data for one snapshot (``frame_snapshot``), the
    layer texts, and the session's numbers ``live``."""
    data = lab.page_data(trainer, [frame_snapshot(trainer)], columns(rows))
    data["layers"] = [list(row) for row in lab.layer_rows(trainer, data, FRAME_SCALE)]
    return {**data, "live": live}


def frame_snapshot(trainer):
    """snapshots.record's arrays, lighter (module docstring): fakes on the first 500 of the
    fixed noise (1D: all), the push on the first lab.ARROWS, D's field, G's manifold."""
    n = len(trainer.z_eval) if trainer.data.dim == 1 else snapshots.SHOWN
    labels = None if trainer.labels_eval is None else trainer.labels_eval[:n]
    x = trainer.generate(trainer.z_eval[:n], labels)
    mesh = mode_map(trainer)
    arrows = len(x) if trainer.data.dim == 1 else lab.ARROWS
    out = {"step": np.array(trainer.step), "fakes": x, "field": d_surface(trainer, FIELD)[-1],
           "push": push(trainer, x[:arrows], None if labels is None else labels[:arrows]),
           "mesh_x": mesh["x"], "mesh_mode": mesh["mode"]}
    if labels is not None:
        out["labels"] = labels.astype(np.int16)
    return out
