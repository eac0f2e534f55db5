"""minigan: generative adversarial networks from scratch in NumPy.

Every layer has a hand-written backward pass beside its forward pass, every gradient is
checked against finite differences, and every claim of GAN theory has a number behind it.
"""
__version__ = "0.2.0"

from .mlp import MLP  # noqa: E402,F401
