r"""``minigan live --replay RUN --out NEW``: a live session trained again from its record alone.

RUN/config.json is the config the session started with, RUN/events.jsonl every control after it
(session.py). Between two events only whole iterations happened, so the replay is: for each event
that changed the trajectory, iterate up to the point where it took effect, check that the counts
agree (step, D updates, G updates), and do what it did. The session's end (``stop``, or Ctrl-C's
``interrupted``) is the last point. With the same NumPy build and BLAS thread count (the log's
``start`` event records it; ``minigan live --replay`` takes it unless --threads is given) NEW's
history.csv is RUN's byte for byte.
"""
import os
import shutil

from ..runs.errors import UsageError
from ..runs.folder import check_fits, data_copy, locked, read_config, run_dataset
from ..runs.run import prepare_dir
from ..train import Diverged, Trainer
from .session import APPLIED, EVENTS, ControlError, Session, read_events

ENDS = ("stop", "interrupted")


def recorded_events(run_dir):
    """The events of RUN, checked for what the replay needs; UsageError (one line) otherwise."""
    try:
        events = read_events(run_dir)
    except (OSError, ValueError, UnicodeDecodeError) as e:
        raise UsageError(f"{os.path.join(run_dir, EVENTS)}: not readable ({e})") from None
    if not events:
        raise UsageError(f"{run_dir} holds no {EVENTS}: it is not a live session (a minigan train "
                         f"run is reproduced by its own command, RUN/command.txt)")
    for n, ev in enumerate(events, 1):
        if not (isinstance(ev, dict) and isinstance(ev.get("event"), str)
                and all(isinstance(ev.get(k), int) for k in ("step", "d", "g"))):
            raise UsageError(f"{os.path.join(run_dir, EVENTS)}: line {n} is not an event")
    return events


def replay(src, out, force=False):
    """Train NEW from SRC's config.json and events.jsonl; finish it as minigan train does.
    Returns the Session (its trainer, history)."""
    cfg = read_config(src)
    events = recorded_events(src)
    check_fits(cfg)
    data = run_dataset(src, cfg)
    with locked(out):
        prepare_dir(out, force)
        if data is not None:
            shutil.copyfile(data_copy(src, cfg), data_copy(out, cfg))
        session = Session(Trainer(cfg, data=data), out)
        last = max((n for n, ev in enumerate(events) if ev["event"] in ENDS), default=len(events) - 1)
        for n, ev in enumerate(events[:last + 1]):
            if ev["event"] in APPLIED or ev["event"] == "diverged" or n == last:
                play(session, ev, n, src)
        session.stop("stop", replay_of=os.fspath(src))
        session.finish()
    return session


def play(session, ev, n, src):
    """Iterate up to where event n took effect, check the counts, then do what it did."""
    where = f"the replay of {src} left the recorded path at event {n + 1} ({ev['event']})"
    diverged = reach(session, ev["step"])
    if ev["event"] == "diverged":
        if not diverged:
            try:
                {"step_d": lambda: session.lone("d"), "step_g": lambda: session.lone("g")}.get(
                    ev.get("during"), session.iterate)()
            except Diverged:
                return
        if not diverged:
            raise UsageError(f"{where}: it did not diverge")
        return
    if diverged:
        raise UsageError(f"{where}: it diverged on the way")
    got = session.position()
    if got != {k: ev[k] for k in ("step", "d", "g")}:
        raise UsageError(f"{where}: at step {got['step']}, D {got['d']}, G {got['g']} updates; "
                         f"recorded step {ev['step']}, D {ev['d']}, G {ev['g']}")
    if ev["event"] in ("step_d", "step_g"):
        session.lone(ev["event"][-1])
    elif ev["event"] == "set":
        try:
            session.set(ev["changes"])
        except ControlError as e:
            raise UsageError(f"{where}: {e}") from None


def reach(session, step):
    """Iterate up to ``step``; True if an iteration diverged on the way (the trainer back at its
    last evaluation, as in the session)."""
    try:
        while session.t.step < step:
            session.iterate()
    except Diverged:
        return True
    return False
