r"""``minigan sweep``: every data × loss × seed combination, trained in parallel, summarised.

    DIR/runs/{data}-{loss}-seed{seed}/   one ordinary run folder per combination (minigan train)
    DIR/runs.csv                         one row per run: its final metrics (metrics.json)
    DIR/summary.csv, DIR/summary.md      per data × loss: mean ± standard error over the seeds
    DIR/grid.png, DIR/grid-{data}.png    the final samples of every run (figures.py)
    DIR/modes.png                        modes captured over training, every run (figures.py)

Each run uses the sweep default of its loss (``SWEEP_DEFAULTS``, config.py) for every option that is not
given on the command line; an option given on the command line goes to every run.

``--vary FIELD=V1,V2,…`` (repeatable) adds an axis over any other TrainConfig field: the
values join the folder name (``ring8-nsgan-hidden_d16-hidden_g64-seed0``, in the order the
--vary options were given), and each combination of them is a row of the tables (summary.py).

Resuming: a run whose folder holds metrics.json is finished and is not trained again (its
config.json must match what is asked, or the sweep stops rather than mix two set-ups in one
table); an unfinished run continues from its last checkpoint, which runs/run.py makes exact.

The runs are trained by ``--jobs N`` local processes or, with ``--dask ADDRESS``, by the workers
of a Dask cluster (cluster.py, docs/cluster.md): both call ``train_one``, leave the same folders.

Determinism: a run depends on its config and seed only, each worker uses one BLAS thread, so
the same command gives the same runs.csv and summary, bit for bit, on the same machine and
NumPy build — every column except ``seconds`` (wall-clock time) and its standard error.
"""
import contextlib
import io
import itertools
import multiprocessing
import os
import re
import sys
import time
from dataclasses import fields

from ..config import SWEEP_DEFAULTS, ConfigError, TrainConfig
from ..data import DATASETS, get_dataset
from ..losses import LOSSES
from ..metrics import describe
from ..runs.errors import UsageError
from ..runs.folder import check_fits, locked, read_json
from ..runs.options import add_config_arguments, config_overrides
from ..runs.run import resume, train_run
from ..runs.threads import one_thread_each
from ..train import Trainer
from .summary import SweepProgress, write_summary

# data, loss and seed name the combinations; the rest are per-run options
COMBINATION = ("data", "loss", "seed")
MAX_SEEDS = 10_000          # per sweep (each seed is a run per data × loss × setting)
MODE_DATASETS = [n for n in DATASETS if get_dataset(n).dim == 2 and get_dataset(n).centers is not None]
FIELDS = {f.name: f for f in fields(TrainConfig)}
TYPE_NAMES = {int: "an integer", float: "a number", bool: "true or false"}


def add_sweep_arguments(p):
    p.add_argument("--data", nargs="+", default=["ring8", "grid25"], choices=MODE_DATASETS,
                   metavar="DATA", help=f"2D mixtures, whose modes can be counted: {', '.join(MODE_DATASETS)} "
                                        f"(default: ring8 grid25)")
    p.add_argument("--loss", nargs="+", default=["gan", "nsgan", "wgan", "wgan-gp"],
                   choices=list(LOSSES), metavar="LOSS",
                   help=f"losses: {', '.join(LOSSES)} (default: gan nsgan wgan wgan-gp)")
    p.add_argument("--seeds", default="0-4",
                   help="seeds: a range 0-4, a list 0,2,5, or one seed 3 (default: 0-4)")
    p.add_argument("--vary", action="append", default=[], metavar="FIELD=V1,V2,...",
                   help="one more axis: train every combination with each of these values of a "
                        "per-run option, e.g. --vary hidden_d=16,64,256 (repeatable; the values "
                        "name the run folders and group the summary)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="worker processes, each training one run at a time with one BLAS thread "
                        "(default: one per CPU; not used with --dask)")
    p.add_argument("--out", default="sweep", metavar="DIR", help="sweep folder (default: sweep)")
    p.add_argument("--no-sweep-defaults", action="store_true",
                   help="use minigan train's defaults instead of SWEEP_DEFAULTS")
    d = p.add_argument_group("on a Dask distributed cluster (docs/cluster.md)")
    d.add_argument("--dask", metavar="ADDRESS",
                   help="train the runs on the workers of the Dask scheduler at ADDRESS "
                        "(tcp://HOST:8786 or tls://HOST:8786) instead of local processes; "
                        'needs pip install "minigan[cluster]"')
    d.add_argument("--dask-shared", metavar="DIR",
                   help="a folder that this machine and every worker see at the same path: the "
                        "workers train in DIR/runs/NAME instead of sending the files back (give "
                        "the --out folder itself and nothing is copied)")
    g = p.add_argument_group("per-run options, given to every run (each a field of "
                             "minigan.config.TrainConfig; default: SWEEP_DEFAULTS, then train's)")
    add_config_arguments(g, skip=COMBINATION, show_default=False)


def parse_seeds(text):
    """'0-4' -> [0, 1, 2, 3, 4]; '0,2,5' -> [0, 2, 5]; '3' -> [3]. UsageError otherwise."""
    parts = [re.fullmatch(r"\s*(\d+)(?:-(\d+))?\s*", part) for part in text.split(",")]
    if not all(parts) or any(m[2] and int(m[2]) < int(m[1]) for m in parts):
        raise UsageError(f"--seeds {text!r}: expected a range like 0-4, a list like 0,2,5 "
                         f"or one seed, all ≥ 0 and ranges increasing")
    count = sum(int(m[2] or m[1]) - int(m[1]) + 1 for m in parts)
    if count > MAX_SEEDS:                       # counted before a list of them is made
        raise UsageError(f"--seeds {text!r}: {count:,} seeds; a sweep takes at most {MAX_SEEDS:,}")
    seeds = [s for m in parts for s in range(int(m[1]), int(m[2] or m[1]) + 1)]
    if len(set(seeds)) != len(seeds):
        raise UsageError(f"--seeds {text!r}: a seed is listed twice")
    return seeds


# --- --vary FIELD=V1,V2,... --------------------------------------------------------------------

def parse_value(name, text):
    """One --vary value as the type of field `name`: int, float, bool or one of its choices."""
    f, text = FIELDS[name], text.strip()
    choices = f.metadata.get("choices")
    try:
        if f.type is bool:
            return {"true": True, "1": True, "yes": True,
                    "false": False, "0": False, "no": False}[text.lower()]
        value = f.type(text)
    except (KeyError, ValueError):
        kind = TYPE_NAMES.get(f.type, f.type.__name__)
        raise UsageError(f"--vary {name}: {text!r} is not {kind}") from None
    if choices and value not in choices:
        raise UsageError(f"--vary {name}: {text!r} is not one of {', '.join(choices)}")
    return value


def parse_vary(texts, given):
    """[(field, [values])] from the --vary options, in the order given; UsageError for a bad one.
    `given`: the per-run options given plainly (a field is either varied or fixed)."""
    allowed = [n for n in FIELDS if n not in COMBINATION]
    axes = {}
    for text in texts:
        raw, sep, values = text.partition("=")
        name = raw.strip().replace("-", "_")
        if not sep or not values.strip():
            raise UsageError(f"--vary {text!r}: expected FIELD=V1,V2,..., e.g. hidden_d=16,64")
        if name in COMBINATION:
            raise UsageError(f"--vary {name}: data, loss and seed have their own options "
                             f"(--data, --loss, --seeds)")
        if name not in FIELDS:
            raise UsageError(f"--vary {raw.strip()}: not a per-run option; "
                             f"one of {', '.join(allowed)}")
        if name in axes:
            raise UsageError(f"--vary {name}: given twice; list all its values in one --vary")
        if name in given:
            raise UsageError(f"--vary {name}: also given as --{name.replace('_', '-')}; "
                             f"give one or the other")
        axes[name] = [parse_value(name, v) for v in values.split(",")]
        if len(set(axes[name])) != len(axes[name]):
            raise UsageError(f"--vary {name}: a value is listed twice")
    return list(axes.items())


def run_name(data, loss, setting, seed):
    """ring8-nsgan-seed0; with --vary e.g. ring8-nsgan-hidden_d16-activation_tanh-seed0: a number
    right after its field's name, a word (true, false, tanh, ...) after an underscore."""
    parts = []
    for name, v in setting:
        if isinstance(v, bool):
            v = "true" if v else "false"
        parts.append(f"{name}_{v}" if isinstance(v, str) else f"{name}{v}")
    return "-".join([data, loss, *parts, f"seed{seed}"])


def plan(args):
    """(planned, varied): planned = [(run_dir, resolved config dict)] for every data × loss ×
    varied values × seed, in table order; varied = the --vary fields, in the order given."""
    given = config_overrides(args, skip=COMBINATION)
    axes = parse_vary(args.vary, given)
    settings = list(itertools.product(*[[(name, v) for v in values] for name, values in axes]))
    seeds = parse_seeds(args.seeds)
    jobs = []
    for data in dict.fromkeys(args.data):
        for loss in dict.fromkeys(args.loss):
            base = {} if args.no_sweep_defaults else SWEEP_DEFAULTS.get(loss, {})
            for setting in settings:
                for seed in seeds:
                    try:
                        cfg = TrainConfig(**{**base, **given, **dict(setting),
                                             "data": data, "loss": loss, "seed": seed}).resolved()
                    except ConfigError as e:
                        where = " ".join([data, loss] + [f"{k}={v}" for k, v in setting])
                        raise UsageError(f"{where}: {e}") from None
                    check_fits(cfg)
                    name = run_name(data, loss, setting, seed)
                    jobs.append((os.path.join(args.out, "runs", name), cfg.to_dict()))
    return jobs, [name for name, _ in axes]


def finished(run_dir, cfg):
    """True if run_dir holds a finished run of exactly cfg; UsageError if of another config.

    An older config.json (minigan 0.2.0: no "format", no hidden_g/hidden_d) is upgraded and
    resolved first, so an old sweep folder rerun with the same options counts as finished."""
    if not os.path.exists(os.path.join(run_dir, "metrics.json")):
        return False
    try:
        old = TrainConfig.from_dict(read_json(os.path.join(run_dir, "config.json")))
        old = old.resolved().to_dict()
    except (ConfigError, OSError, ValueError) as e:
        raise UsageError(f"{run_dir}: cannot read its config.json ({e}); give a new --out, "
                         f"or delete that folder") from None
    diff = [f"{k} {old.get(k)!r} -> {cfg.get(k)!r}" for k in dict.fromkeys([*cfg, *old])
            if old.get(k) != cfg.get(k)]
    if diff:
        raise UsageError(f"{run_dir} holds a finished run with another config ({'; '.join(diff)}); "
                         f"give a new --out, or delete that folder")
    return True


# --- the worker --------------------------------------------------------------------------------

def _init_worker():
    import signal
    from ..runs.memory import keep_freed_memory
    signal.signal(signal.SIGINT, signal.SIG_IGN)      # Ctrl-C is the parent's to handle
    keep_freed_memory()                               # as the `minigan` command does


def train_one(job):
    """Train (or continue) one run folder; returns (run_dir, exit code, messages, seconds).

    The one code path of every run, local (a pool worker) or on a Dask worker (cluster.py);
    seconds is the time this call took, which the sweep's estimate of the time left uses.
    """
    run_dir, cfg = job
    t0 = time.perf_counter()
    out = io.StringIO()                               # train_run's own report stays quiet
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            with locked(run_dir):                     # one trainer per run folder
                trainer, seconds = None, 0.0
                if os.path.exists(os.path.join(run_dir, "checkpoint.npz")):
                    try:       # an interrupted run of the same config continues from its checkpoint
                        trainer, _, seconds = resume(run_dir, {})   # (an older format is upgraded)
                        if trainer.cfg.to_dict() != cfg or trainer.step >= cfg["steps"]:
                            trainer = None
                    except UsageError:                # damaged or of another config: start again
                        trainer = None
                resuming = trainer is not None
                if not resuming:
                    trainer, seconds = Trainer(TrainConfig.from_dict(cfg)), 0.0
                code = train_run(trainer, run_dir, cfg["steps"] - trainer.step, seconds, quiet=True,
                                 resuming=resuming, page=False)  # snapshots, no page: minigan lab
        except Exception as e:                        # report it; the other runs go on
            code = 1
            print(f"{type(e).__name__}: {e}")
    return run_dir, code, out.getvalue(), time.perf_counter() - t0


def run_all(todo, jobs, report):
    """Train the runs in `todo` on `jobs` spawned workers; report(result) as each one ends."""
    with one_thread_each(), multiprocessing.get_context("spawn").Pool(
            min(jobs, len(todo)), initializer=_init_worker) as pool:
        for result in pool.imap_unordered(train_one, todo):    # leaving the with block
            report(result)                                     # ends the workers, also on Ctrl-C


# --- minigan sweep ------------------------------------------------------------------------------

def check_options(args):
    """One line for a bad --jobs or --dask option, before anything is planned or trained."""
    if args.jobs < 1:
        raise UsageError(f"--jobs: must be ≥ 1, got {args.jobs}")
    if args.dask_shared is not None and args.dask is None:
        raise UsageError("--dask-shared: goes with --dask ADDRESS")
    if args.dask is not None:
        from . import cluster
        cluster.check_options(args.dask, args.dask_shared)


def train_all(out, planned, todo, workers, where, train):
    """Call train(report), which trains `todo`; print a line per finished run and the progress.

    Returns the names of the runs that failed, or None if interrupted (Ctrl-C).
    """
    print(f"minigan sweep: {len(planned)} runs in {out}: {len(planned) - len(todo)} finished "
          f"(skipped), {len(todo)} to train" + (f" on {where}" if todo else ""), flush=True)
    progress, failed = SweepProgress(len(planned), len(planned) - len(todo), workers), []

    def report(result):
        run_dir, code, messages, seconds = result
        name = os.path.basename(run_dir)
        n = progress.ended(seconds, ok=code == 0)          # runs ended so far in this invocation
        if code != 0:
            failed.append(name)
            why = messages.strip().splitlines()[-1] if messages.strip() else f"exit status {code}"
            print(f"[{n}/{len(todo)}] {name}: FAILED: {why}", flush=True)
        else:
            m = read_json(os.path.join(run_dir, "metrics.json"))
            what = (f"modes {m['modes_captured']}/{m['modes_total']}, hq {100 * m['high_quality_frac']:.1f} %"
                    if "modes_captured" in m else ", ".join(describe(m)))      # digits: the judge's
            print(f"[{n}/{len(todo)}] {name}: {what}, {m['seconds']:.0f} s", flush=True)
        print(progress.line(), flush=True)

    if not todo:
        return failed
    print(progress.line(), flush=True)
    try:
        train(report)
    except KeyboardInterrupt:
        print("minigan sweep: interrupted; run the same command again to continue "
              "(finished runs are kept)", file=sys.stderr)
        return None
    return failed


def run_sweep(args):
    check_options(args)
    planned, varied = plan(args)
    try:
        os.makedirs(os.path.join(args.out, "runs"), exist_ok=True)
    except OSError as e:
        raise UsageError(f"cannot write to sweep folder {args.out}: {e.strerror or e}") from None
    todo = [(d, c) for d, c in planned if not finished(d, c)]
    t0 = time.perf_counter()
    if args.dask is not None and todo:
        from . import cluster
        with cluster.connect(args.dask) as client:      # Ctrl-C or not, it disconnects
            workers = cluster.worker_threads(client)
            where = f"the Dask cluster at {args.dask} ({workers} worker thread(s) now)"
            failed = train_all(args.out, planned, todo, workers, where, lambda report:
                               cluster.run_all(client, todo, report, train_one, args.dask_shared))
    else:
        workers = min(args.jobs, max(len(todo), 1))
        failed = train_all(args.out, planned, todo, workers, f"{workers} worker(s)",
                           lambda report: run_all(todo, args.jobs, report))
    if failed is None:
        return 130
    md = write_summary(args.out, planned, varied)
    print(f"\n{md}\nwrote {args.out}/summary.md, summary.csv, runs.csv, grid.png, modes.png "
          f"({time.perf_counter() - t0:.0f} s)")
    if failed:
        print(f"minigan sweep: {len(failed)} run(s) did not finish: {', '.join(failed)}",
              file=sys.stderr)
        return 1
    return 0
