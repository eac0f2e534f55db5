r"""``minigan live``: train in this process and drive it from the browser; its resume and replay.

    minigan live [any minigan train option] [--no-browser] [--play]
    minigan live --resume RUN [--steps N]         continue a session stopped by Ctrl-C
    minigan live --replay RUN --out NEW           train a session again from its event log

The URL printed carries the session's token; the browser is opened through a file only this
user can read (server.private_opener), so no other local user sees the token on its command line.
"""
import contextlib
import shutil
import signal
import sys
import tempfile
import threading
import webbrowser

from ..config import ConfigError, TrainConfig
from ..data import is_points_file
from ..runs.errors import UsageError
from ..runs.folder import check_fits, locked, open_run
from ..runs.options import add_config_arguments, config_overrides
from ..runs.points import PointsError
from ..runs.run import default_out, new_run, record_command
from .app import Live, live_datasets
from .page import page as live_page
from .replay import replay
from .server import private_opener, serve
from .session import Session


def add_live_arguments(p):
    add_config_arguments(p.add_argument_group(
        "training configuration (each a field of minigan.config.TrainConfig; --steps: where play "
        "pauses by itself)"))
    r = p.add_argument_group("session")
    r.add_argument("--out", metavar="DIR", help="the session's first run folder; a new seed, "
                   "dataset or drawn points start DIR-2, DIR-3, … (default: runs/live-DATA-LOSS-seedSEED, "
                   "numbered if it exists)")
    r.add_argument("--force", action="store_true", help="overwrite an existing run folder given by --out")
    r.add_argument("--resume", metavar="RUN", help="continue the live session in RUN, paused "
                   "(--steps N: play pauses after N more steps)")
    r.add_argument("--replay", metavar="RUN", help="no page: train RUN's session again from its "
                   "config.json and events.jsonl into --out NEW (history.csv byte for byte)")
    r.add_argument("--no-browser", dest="browser", action="store_false",
                   help="print the URL only; open no browser")
    r.add_argument("--play", action="store_true", help="start training at once (else the page "
                   "starts paused)")


def run_live(args):
    overrides = config_overrides(args)
    if args.replay:
        if not args.out or set(overrides) or args.resume:
            raise UsageError("--replay RUN takes --out NEW (and --force, --threads) only: the "
                             "session's own config and events decide the rest")
        session = replay(args.replay, args.out, args.force)
        print(f"replayed {args.replay} into {args.out} ({session.t.step} steps)")
        return 0
    if args.resume:
        session, pause_at = resumed(args.resume, overrides)
        out = args.resume
    else:
        cfg = config_of(overrides)
        out = args.out or default_out(cfg, prefix="live-")
    stack = contextlib.ExitStack()
    stack.enter_context(locked(out))            # one trainer per run folder, as minigan train
    try:
        if not args.resume:
            try:
                trainer = new_run(cfg, out, args.force)
            except (ConfigError, PointsError) as e:
                raise UsageError(str(e)) from None
            session, pause_at = Session(trainer, out), cfg.steps
        if getattr(args, "typed", None):
            record_command(out, args.typed, bool(args.resume))
        live = Live(session, out, pause_at, playing=args.play)
        live.stack = stack
        return serve_session(live, args.browser)
    finally:
        stack.close()


def config_of(overrides):
    """The session's config from the command line; the page draws 1D and 2D data only."""
    data = overrides.get("data", TrainConfig.data)
    if not is_points_file(data) and data not in live_datasets():
        raise UsageError(f"--data {data}: the live page draws 1D and 2D data only "
                         f"({', '.join(live_datasets())}, or your points); train it with minigan train")
    try:
        cfg = TrainConfig(**overrides).resolved()
    except ConfigError as e:
        raise UsageError(str(e)) from None
    check_fits(cfg)
    return cfg


def resumed(run_dir, overrides):
    """(Session, pause_at) of the live session in run_dir, restored from its checkpoint: the
    config is config.json with the event log's changes applied, and must be the checkpoint's."""
    if set(overrides) - {"steps"}:
        raise UsageError("--resume continues a session with its own config; only --steps may be given")
    trainer, arrays = open_run(run_dir)          # config.json with the log's changes (folder.py)
    if "d_updates" not in arrays:
        raise UsageError(f"{run_dir}: its checkpoint has no update counts: not a live session's")
    counts = int(arrays["d_updates"]), int(arrays["g_updates"])
    session = Session(trainer, run_dir, counts, resuming=True, seconds=float(arrays.get("seconds", 0.0)))
    steps = overrides.get("steps")
    planned = trainer.cfg.steps
    pause_at = trainer.step + steps if steps is not None else (planned if trainer.step < planned else None)
    return session, pause_at


def serve_session(live, browser):
    """Serve the page, train in a thread, wait for the end; the exit code (0, 130, 2)."""
    srv, url = serve(live, live_page)
    folder = tempfile.mkdtemp(prefix="minigan-live-")           # 0700: this user's only
    print(f"minigan live: {url}\n  (Ctrl-C stops at an update boundary; the run folder is "
          f"{live.session.run_dir})", flush=True)
    if browser:
        with contextlib.suppress(Exception):                     # no browser: the URL is printed
            webbrowser.open("file://" + private_opener(url, folder))
    interrupt = threading.Event()
    # a daemon: a second Ctrl-C ends the process at once, with the last checkpoint
    trainer = threading.Thread(target=live.run, args=(interrupt,), name="minigan-live-training",
                               daemon=True)
    saved = {}

    def handle(signum, frame):
        if interrupt.is_set():
            raise KeyboardInterrupt            # a second Ctrl-C: at once (the last checkpoint)
        interrupt.set()

    if threading.current_thread() is threading.main_thread():
        for s in (signal.SIGINT, signal.SIGTERM):
            saved[s] = signal.signal(s, handle)
    try:
        trainer.start()
        while trainer.is_alive():
            trainer.join(0.2)
    finally:
        for s, h in saved.items():
            signal.signal(s, h)
        srv.shutdown()
        srv.server_close()
        shutil.rmtree(folder, ignore_errors=True)
    if live.error is not None:
        e = live.error
        print(f"minigan live: error: {getattr(e, 'strerror', None) or e}", file=sys.stderr)
        return 2
    s = live.session
    if live.result == 130:
        print(f"minigan live: interrupted at step {s.t.step}; checkpoint saved. Continue with: "
              f"minigan live --resume {s.run_dir}", file=sys.stderr)
        return 130
    print(f"minigan live: session ended; run folders: {', '.join(live.folders)}")
    return 0
