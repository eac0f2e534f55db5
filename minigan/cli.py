"""The ``minigan`` command: one subcommand per job.

Each subcommand lives in its own module, which defines ``add_arguments(parser)`` and
``run(args) -> exit code``; this file only dispatches. Bad command lines exit with status 2
and one line on stderr (argparse's convention).
"""
import argparse
import importlib
import sys

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
}

# commands that run training steps for long: they keep freed memory (minigan/memory.py)
TRAINING = ("train", "sweep", "bench")


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
        p.set_defaults(_run=getattr(mod, f"run_{prefix}"))
    return parser


def main(argv=None):
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
