"""The ``minigan`` command: one subcommand per job.

Each subcommand lives in its own module, which defines ``add_arguments(parser)`` and
``run(args) -> exit code``; this file only dispatches. Bad command lines exit with status 2
and one line on stderr (argparse's convention).
"""
import argparse
import importlib
import os
import sys
import time

from . import __version__
from .errors import UsageError
from .memory import keep_freed_memory

# name -> (module, function prefix, one-line help)
SUBCOMMANDS = {
    "train": ("minigan.runs", "train", "train a GAN on a toy distribution and leave a run folder"),
    "sample": ("minigan.runs", "sample", "draw samples from a trained generator"),
    "theory": ("minigan.theory", "theory", "check each claim of GAN theory by numbers, and draw it"),
    "sweep": ("minigan.sweep", "sweep", "train every data × loss × seed combination; summary table"),
    "bench": ("minigan.bench", "bench", "iterations per second of the training step"),
    "lab": ("minigan.lab", "lab", "rebuild a run's lab.html: the page that replays it step by step"),
}

# commands that run training steps for long: they keep freed memory (minigan/memory.py)
TRAINING = ("train", "sweep", "bench")
# commands that train: BLAS threads by the machine's load unless the user chose (choose_blas_threads)
THREADED = ("train", "sweep", "theory")
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def other_load(seconds=0.25):
    """How many CPUs other programs keep busy now: /proc/stat sampled over `seconds` while this
    process sleeps (Linux); the 1-minute load average elsewhere; None if neither exists."""
    def snap():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return sum(v), v[3] + v[4]                              # all jiffies, idle + iowait
    try:
        t0, i0 = snap()
        time.sleep(seconds)
        t1, i1 = snap()
        return (os.cpu_count() or 1) * (1 - (i1 - i0) / max(1, t1 - t0))
    except (OSError, ValueError, IndexError):
        try:
            return os.getloadavg()[0]
        except (AttributeError, OSError):
            return None


def blas_threads_for(load, cpus):
    """The BLAS thread count for a training command given other programs' load (in CPUs).

    On a quiet machine, all cores: the default run takes 55 s with 2 threads and 64 s with one
    (our 2-core machine, alternating runs). Beside other busy work, one: BLAS threads that share a
    core with another program wait for it at every matrix product, and the same run took 165 s
    with 2 threads beside one busy-looping process against 62 s with one. Busy means other
    programs keep at least half a CPU busy; unknown load counts as busy.
    """
    return cpus if load is not None and load < 0.5 else 1


def choose_blas_threads(argv, load=other_load):
    """Set the BLAS thread count of a training command before NumPy loads its BLAS.

    ``train``, ``sweep`` and ``theory`` pick it from the machine's load at start
    (``blas_threads_for``), unless the user chose: ``--threads N``, or any of OPENBLAS/OMP/
    MKL_NUM_THREADS in the environment. The choice is made once: a machine that becomes busy
    later keeps the count chosen at start. (The thread count does not change what is computed
    here: OpenBLAS splits a product by rows and columns, never inside a sum, and the default
    run's history.csv is byte-identical with 1 and 2 threads — tests/test_threads.py.)
    OpenBLAS reads the variables once, when NumPy loads it, so this works only before NumPy is
    imported (the console script, ``python -m minigan``); called later (e.g. ``main()`` from a
    Python session that already imported NumPy) it does nothing. Returns the number it set, or
    None.
    """
    command = next((a for a in argv if not a.startswith("-")), None)
    if command not in THREADED or "numpy" in sys.modules:
        return None
    threads = None
    for i, a in enumerate(argv):
        if a == "--threads" and i + 1 < len(argv):
            threads = argv[i + 1]
        elif a.startswith("--threads="):
            threads = a.split("=", 1)[1]
    if threads is None:
        if any(v in os.environ for v in THREAD_VARS):
            return None                  # the user's environment decides
        threads = str(blas_threads_for(load(), os.cpu_count() or 1))
    if not threads.isdigit() or int(threads) < 1:
        return None                      # the parser reports the bad value
    for v in THREAD_VARS:
        os.environ[v] = threads
    return int(threads)


def positive_int(text):
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be an integer ≥ 1, got {text!r}")
    return int(text)


def build_parser():
    parser = argparse.ArgumentParser(
        prog="minigan",
        description="GANs from scratch in NumPy: hand-written gradients, toy demos, theory checked by numbers.",
    )
    parser.add_argument("--version", action="version", version=f"minigan {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, prefix, help_) in SUBCOMMANDS.items():
        mod = importlib.import_module(module)
        p = sub.add_parser(name, help=help_, description=help_,
                           formatter_class=argparse.ArgumentDefaultsHelpFormatter)
        getattr(mod, f"add_{prefix}_arguments")(p)
        if name in THREADED:
            p.add_argument("--threads", type=positive_int, metavar="N",
                           help="BLAS threads (default: every core on a quiet machine, 1 when "
                                "other programs keep the CPUs busy at start — extra threads lose "
                                "much beside other work; OPENBLAS/OMP/MKL_NUM_THREADS, if set, "
                                "decide instead)")
        p.set_defaults(_run=getattr(mod, f"run_{prefix}"))
    return parser


def main(argv=None):
    choose_blas_threads(sys.argv[1:] if argv is None else argv)   # before NumPy loads: see there
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    if args.command in TRAINING and not getattr(args, "default_malloc", False):
        keep_freed_memory()       # a program-wide allocator setting: the command's, not the library's
    try:
        return int(args._run(args) or 0)
    except UsageError as e:
        print(f"minigan {args.command}: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("minigan: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
