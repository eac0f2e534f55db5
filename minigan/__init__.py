"""minigan: generative adversarial networks from scratch in NumPy.

Every layer has a hand-written backward pass beside its forward pass, every gradient is
checked against finite differences, and every claim of GAN theory has a number behind it.

Importing the package imports nothing else (``minigan.MLP`` loads ``minigan.mlp`` on first
use), so the ``minigan`` command can choose the BLAS thread count before NumPy loads its BLAS
(cli.py), and a plain ``import minigan`` changes no process-wide setting.
"""
__version__ = "0.3.1"


def __getattr__(name):
    if name == "MLP":
        from .mlp import MLP
        return MLP
    raise AttributeError(f"module 'minigan' has no attribute {name!r}")
