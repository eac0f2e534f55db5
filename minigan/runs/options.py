"""Every field of ``TrainConfig`` as a command-line option, for each command that trains.

    add_config_arguments(parser)      one --option per field, with the field's help text
    config_overrides(args)            {field: value} of the options actually given

``minigan train``, ``minigan sweep`` and ``python -m minigan.study`` all build their options
here, so a new config field is an option of every one of them.
"""
import argparse
import re
from dataclasses import fields

from ..config import TrainConfig
from ..data import is_points_file


def data_argument(text):
    """--data: a built-in dataset's name, or a .csv/.npy file of points (checked when loaded)."""
    names = TrainConfig.__dataclass_fields__["data"].metadata["choices"]
    if text in names or is_points_file(text):
        return text
    raise argparse.ArgumentTypeError(f"{text!r} is neither a built-in dataset ({', '.join(names)}) "
                                     f"nor a .csv or .npy file of points")


def split_default(help_):
    """(text, statement): a field's help without its closing "(default…)", and that statement.

    A field's help in config.py states its default itself when the dataclass default does not say
    it: "(default: --hidden)", "(default per loss: 1 for gan/nsgan/lsgan/hinge, 5 for wgan/wgan-gp)".
    statement is None when the help states none.
    """
    m = re.search(r"\s*(\(default\b[^()]*\))$", help_)
    return (help_[:m.start()], m.group(1)) if m else (help_, None)


def shown(value):
    """A dataclass default as the help states it: booleans as off/on, floats without a trailing .0."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def add_config_arguments(g, skip=(), show_default=True):
    """One --option per TrainConfig field not in ``skip`` (minigan train; minigan sweep too).

    Each help states the field's default once: the statement the field's help makes itself, else
    "(default: X)" from the dataclass. show_default False states none (minigan sweep, whose runs
    take SWEEP_DEFAULTS first: its option group says so).
    """
    for f in fields(TrainConfig):
        if f.name in skip:
            continue
        names = ["--" + f.name.replace("_", "-")] + (["--" + f.name] if "_" in f.name else [])
        text, statement = split_default(f.metadata["help"])
        if f.name == "data":
            text += "; built-in: " + ", ".join(f.metadata["choices"])
        if show_default:
            text += " " + (statement or f"(default: {shown(f.default)})")
        help_ = text.replace("%", "%%")          # argparse %-formats help strings
        if f.type is bool:
            g.add_argument(*names, dest=f.name, action="store_true", default=argparse.SUPPRESS, help=help_)
        elif f.name == "data":
            g.add_argument(*names, dest=f.name, type=data_argument, default=argparse.SUPPRESS,
                           metavar="DATA", help=help_)
        else:
            choices = f.metadata.get("choices")
            g.add_argument(*names, dest=f.name, type=f.type, choices=choices, default=argparse.SUPPRESS,
                           metavar=None if choices else f.name.upper(), help=help_)


def config_overrides(args, skip=()):
    """{field: value} of the TrainConfig fields given on the command line, except ``skip``.

    add_config_arguments leaves an option that is not given out of ``args``, so a field that is
    missing here keeps its default.
    """
    return {f.name: getattr(args, f.name) for f in fields(TrainConfig)
            if f.name not in skip and hasattr(args, f.name)}
