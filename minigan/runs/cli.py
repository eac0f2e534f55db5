"""The ``minigan`` command: one subcommand per job.

Each subcommand lives in its own module, which defines ``add_NAME_arguments(parser)`` and
``run_NAME(args) -> exit code``; this file only dispatches, and imports a subcommand's module only
when that subcommand is asked for (``minigan --help`` loads no NumPy). Bad command lines exit
with status 2 and one line on stderr (argparse's convention), after the subcommand's usage when
argparse finds them. Each option's help states its default once, in its own words (no
ArgumentDefaultsHelpFormatter: it would add a second, often wrong, one; tests/test_help.py).
"""
import argparse
import importlib
import sys
import textwrap

from .. import __version__
from .errors import UsageError
from .memory import keep_freed_memory
from .threads import THREADED, choose_blas_threads

# name -> (module, function suffix, one-line help)
SUBCOMMANDS = {
    "train": ("minigan.runs.run", "train", "train a GAN on a toy distribution or the digits; leave a run folder"),
    "sample": ("minigan.runs.sample", "sample", "draw samples from a trained generator"),
    "lab": ("minigan.runs.run", "lab", "rebuild a run's lab.html: the page that replays it step by step"),
    "theory": ("minigan.theory", "theory", "check each claim of GAN theory by numbers, and draw it"),
    "sweep": ("minigan.studies.sweep", "sweep", "train every data × loss × seed combination; summary table"),
    "hopping": ("minigan.studies.hopping", "hopping",
                "record and draw mode hopping (modes covered, step by step) for one configuration"),
    "phase": ("minigan.studies.phase", "phase",
              "phase diagram of a sweep over two config fields: tables, heat maps, z-space"),
    "remedies": ("minigan.studies.remedies", "remedies",
                 "the mode-collapse remedies study (docs/remedies/), stage by stage"),
    "digits": ("minigan.studies.digits", "digits",
               "the digits study (docs/digits.md): which digits GANs drop, and the CGAN's accuracy"),
    "bench": ("minigan.runs.bench", "bench", "iterations per second of the training step"),
    "live": ("minigan.live.command", "live",
             "train in the browser: pause, step D or G, change the game mid-run, draw your data"),
}

# commands that run training steps for long: they keep freed memory (minigan/runs/memory.py)
TRAINING = ("train", "sweep", "bench", "hopping", "remedies", "digits", "live")


class HelpFormatter(argparse.HelpFormatter):
    """argparse's, but a line never breaks inside a hyphenated word (wgan-gp, --hidden-g)."""

    def _split_lines(self, text, width):
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)


def positive_int(text):
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be an integer ≥ 1, got {text!r}")
    return int(text)


def build_parser(command=None):
    """The parser: every subcommand's name and help; the options of ``command`` only (its module
    is imported here). command None: the options of every subcommand (for documentation).
    ``parser.subcommands`` maps each name to its subparser."""
    parser = argparse.ArgumentParser(
        prog="minigan",
        description="GANs from scratch in NumPy: hand-written gradients, toy demos, theory checked by numbers.",
    )
    parser.add_argument("--version", action="version", version=f"minigan {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, suffix, help_) in SUBCOMMANDS.items():
        p = sub.add_parser(name, help=help_, description=help_, formatter_class=HelpFormatter)
        if command not in (None, name):
            continue
        mod = importlib.import_module(module)
        getattr(mod, f"add_{suffix}_arguments")(p)
        if name in THREADED:
            p.add_argument("--threads", type=positive_int, metavar="N",
                           help="BLAS threads (default: every core on a quiet machine, 1 when "
                                "other programs keep the CPUs busy at start — extra threads lose "
                                "much beside other work; OPENBLAS/OMP/MKL_NUM_THREADS, if set, "
                                "decide instead)")
        p.set_defaults(_run=getattr(mod, f"run_{suffix}"))
    parser.subcommands = sub.choices
    return parser


def command_of(argv):
    """The subcommand an argv names (its first word that is not an option), or None."""
    return next((a for a in argv if not a.startswith("-")), None)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    choose_blas_threads(argv)                    # before NumPy loads: see there
    command = command_of(argv)
    parser = build_parser(command if command in SUBCOMMANDS else "")
    args, unknown = parser.parse_known_args(argv)
    if unknown:        # the subcommand's usage and name, not the top level's (parse_args would)
        where = parser.subcommands[args.command] if args.command else parser
        where.error(f"unrecognized arguments: {' '.join(unknown)}")
    if args.command is None:
        parser.print_help()
        return 0
    args.typed = ["minigan", *argv]          # the command as the user typed it (run folders keep it)
    if args.command in TRAINING and not getattr(args, "default_malloc", False):
        keep_freed_memory()       # a program-wide allocator setting: the command's, not the library's
    try:
        return int(args._run(args) or 0)
    except UsageError as e:
        print(f"minigan {args.command}: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:          # the machine's answer: a read-only folder, a full disk, …
        where = f"{e.filename}: " if e.filename else ""
        print(f"minigan {args.command}: error: {where}{e.strerror or e}", file=sys.stderr)
        return 2
    except MemoryError:
        print(f"minigan {args.command}: error: out of memory; try smaller widths, batch or -n",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("minigan: interrupted", file=sys.stderr)
        return 130


def alias_main(command, argv=None):
    """``python -m minigan.study|phase|remedies`` (0.3's entry points): ``minigan COMMAND`` now.
    Kept as aliases for one release (removed in 0.5); they say where the command lives."""
    print(f"note: this is `minigan {command}` now; the python -m form goes away in 0.5",
          file=sys.stderr)
    return main([command, *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    raise SystemExit(main())
