"""minigan: generative adversarial networks from scratch in NumPy.

Every layer has a hand-written backward pass beside its forward pass, every gradient is
checked against finite differences, and every claim of GAN theory has a number behind it.

The folder is the map (docs/guide.md has the reading order):

    layers, mlp, losses, optim, train      the core: Algorithm 1 and the networks it trains
    data, metrics, config, gradcheck       the toys, the measures, the one config, the checks
    remedies/                              parts of D and update rules against mode collapse
    theory/                                every claim of the source text, checked by numbers
    pictures/                              samples, curves, z-space, the lab page
    runs/                                  run folders, checkpoints, the ``minigan`` command
    studies/                               sweeps and the studies built on them

Importing the package imports nothing else (``minigan.MLP`` loads ``minigan.mlp`` on first
use), so ``set_threads`` and the ``minigan`` command can choose the BLAS thread count before
NumPy loads its BLAS, and a plain ``import minigan`` changes no process-wide setting.
"""
import importlib
import importlib.abc
import importlib.util
import sys
import types
import warnings

__version__ = "0.4.1"


def set_threads(n=None):
    """Choose how many threads BLAS uses, as ``minigan train`` does; call it before NumPy loads.

    n: a count, or None for the command's rule (every core on a quiet machine, one beside
    other busy programs — runs/threads.py). Before NumPy is imported it sets the environment
    variables BLAS reads when it loads; after, it needs threadpoolctl (optional) and otherwise
    does nothing. Returns the count set, or None.
    """
    from .runs.threads import set_threads as set_
    return set_(n)


def __getattr__(name):
    if name == "MLP":
        from .mlp import MLP
        return MLP
    raise AttributeError(f"module 'minigan' has no attribute {name!r}")


# --- 0.3's module paths, for one release (removed in 0.5) ----------------------------------------
# `import minigan.penalties` and `from minigan.plots import figure` keep working: each old name is
# a thin module that forwards every attribute to the new home and says where that is.
MOVED = {
    "penalties": "remedies.penalties", "spectral": "remedies.spectral",
    "packing": "remedies.packing", "mbstd": "remedies.mbstd", "updates": "remedies.updates",
    "unroll": "remedies.unroll",
    "cli": "runs.cli", "options": "runs.options", "errors": "runs.errors", "memory": "runs.memory",
    "checkpoint": "runs.checkpoint", "points": "runs.points", "bench": "runs.bench",
    "runfiles": "runs.folder",
    "plots": "pictures.plots", "curves": "pictures.curves", "zspace": "pictures.zspace",
    "snapshots": "pictures.snapshots", "lab": "pictures.lab",
    "sweep": "studies.sweep", "summary": "studies.summary", "phase": "studies.phase",
    "cluster": "studies.cluster", "study": "studies.hopping",
}
COMMANDS = {"study": "hopping", "phase": "phase"}      # `python -m minigan.X` -> `minigan COMMAND`


class _Moved(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds minigan.OLD for each OLD in MOVED, and loads it as a forwarding module."""

    def find_spec(self, fullname, path=None, target=None):
        old = fullname.rpartition(".")[2]
        if fullname == f"{__name__}.{old}" and old in MOVED:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        old = spec.name.rpartition(".")[2]
        new = f"{__name__}.{MOVED[old]}"
        warnings.warn(f"{spec.name} moved to {new} in minigan 0.4; the old name goes away in 0.5",
                      DeprecationWarning, stacklevel=3)
        target = importlib.import_module(new)
        alias = types.ModuleType(spec.name, f"0.3's {spec.name}: moved to {new}.")

        def forward(name):
            try:
                return getattr(target, name)
            except AttributeError:
                raise AttributeError(f"{spec.name} moved to {new}, which has no {name!r} "
                                     f"(see CHANGELOG.md, 0.4.0)") from None
        alias.__getattr__ = forward
        alias.__dir__ = lambda: dir(target)
        return alias

    def exec_module(self, module):
        pass

    def get_code(self, fullname):
        """For `python -m minigan.study|phase`: run the `minigan` subcommand that replaced it."""
        command = COMMANDS.get(fullname.rpartition(".")[2])
        if command is None:
            return None
        return compile(f"from minigan.runs.cli import alias_main\n"
                       f"raise SystemExit(alias_main({command!r}))\n", fullname, "exec")


if not any(isinstance(f, _Moved) for f in sys.meta_path):
    sys.meta_path.append(_Moved())
