r"""D as the trainer uses it: an MLP and the remedies that are parts of it (docs/references.md §9).

    rows    = pack(x)                 PacGAN: p samples side by side, (N, n) -> (N/p, p·n)  packing.py
    net, w  = D.network()             the MLP every pass uses; with spectral norm its weights are
                                      W̄ = W/σ̂, and w maps gradients back to θ_D      spectral.py
    logits  = net.forward(rows)       minibatch std is a layer inside that MLP             mbstd.py

With none of them, D.network() is the MLP itself, pack(x) is x and param_grads the identity:
the default D is exactly ``MLP([n, H, …, H, 1])``. ``params`` (W1, b1, …) is θ_D, the MLP's
own weights, which the optimizer updates and the checkpoint stores.

    D.forward(x) / D.backward(dlogits, cache)        x (N, n) -> logits (N/p, 1) -> dx (N, n),
                                                     like MLP's: the G step's pass through D
    D.at_points(x), D.grad_at_points(x, dlogits)     D's verdict at single points (heat maps,
                                                     the lab page, the push of G's loss)

Shapes: N samples, n = D's input width per sample (data dim + K label columns), p the pack size.
"""
import copy

import numpy as np

from ..config import MBSTD_GROUP
from ..mlp import MLP
from .mbstd import MinibatchStd
from .packing import copies, pack, unpack
from .spectral import SpectralNorm


class PlainWeights:
    """No transform of D's weights: the passes use θ_D as it is (what spectral.SpectralNorm
    replaces with W̄ = W/σ̂). Each method is the identity, so D's code needs no "if"."""

    def power_iteration(self, mlp):
        pass

    def forward(self, mlp):
        return mlp, None

    def backward(self, grads, w):
        return grads

    def state_arrays(self):
        return {}

    def load_state(self, arrays):
        pass


class Discriminator:
    """An MLP (mbstd: with a MinibatchStd layer), a pack size, and a transform of its weights:
    spectral norm, or none (``spectral`` is the SpectralNorm, or None)."""

    def __init__(self, mlp, pack=1, spectral=None, n_x=None):
        self.mlp, self.pack, self.spectral = mlp, pack, spectral
        self.weights = spectral or PlainWeights()           # what the passes do to θ_D
        self.params, self.sizes = mlp.params, mlp.sizes         # θ_D; the MLP's layer widths
        # the columns of a row that hold samples rather than labels: what a penalty constrains
        self.n_x = mlp.sizes[0] if n_x is None else n_x
        # rows that D judges together: a group of minibatch std, else 1
        self.group = max([getattr(layer, "group", 1) for layer in mlp.layers])

    # --- the passes ------------------------------------------------------------------------------

    def begin_update(self):
        """Before each D update: spectral norm advances σ̂ by one power iteration (spectral.py)."""
        self.weights.power_iteration(self.mlp)

    def network(self):
        """(net, w): the MLP the passes use (W̄ = W/σ̂ under spectral norm, else the MLP) and what
        ``param_grads`` needs to take net's gradients back to θ_D."""
        return self.weights.forward(self.mlp)

    def param_grads(self, grads, w):
        r"""∂L/∂W̄ -> ∂L/∂W (spectral.py: (1/σ̂)·(G − ⟨G, W̄⟩·u·vᵀ)); the identity otherwise."""
        return self.weights.backward(grads, w)

    def rows(self, x):
        r"""The rows D reads: x (N, n) -> (N/p, p·n), packs of p consecutive samples (p = 1: x)."""
        return pack(x, self.pack)

    def forward(self, x):
        """logits (N/p, 1) of x (N, n), and the cache of ``backward``: D as one network."""
        net, w = self.network()
        logits, cache = net.forward(self.rows(x))
        return logits, (net, w, cache)

    def backward(self, dlogits, cache, need_params=True, need_dx=True):
        r"""(dx (N, n) or None, grads w.r.t. θ_D or {}), like MLP.backward: through the network,
        then unpacked (dx) and mapped back to θ_D (grads). The D step adds its penalties before
        that map instead (Trainer.d_grads), so it calls ``network`` and ``param_grads`` itself."""
        net, w, c = cache
        dx, grads = net.backward(dlogits, c, need_params, need_dx)      # dx: (N/p, p·n)
        return (None if dx is None else unpack(dx, self.pack)), self.param_grads(grads, w)

    def at_points(self, x):
        r"""D's raw output at each point: x (N, n) -> (N, 1).

        A packed D judges packs, a minibatch-std D groups: "D at x" is D on x packed with p − 1
        copies of itself, in a group of such rows (statistic √ε ≈ 0): D's verdict on a G
        collapsed onto x. Plain D: D(x).
        """
        net, _ = self.network()
        return net(copies(x, self.pack).repeat(self.group, axis=0))[::self.group]

    def grad_at_points(self, x, dlogits):
        r"""(logits (N, 1), ∇ₓ at each point of Σ dlogits(t)·t), t = ``at_points(x)``.

        dlogits: a function logits (N, 1) -> the upstream gradient (N, 1). One row per point
        carries the gradient; a pack's copies add up (the group statistic's share is 0: its rows
        are identical). Returns dx (N, n).
        """
        net, _ = self.network()
        group, N = self.group, len(x)
        logits, cache = net.forward(copies(x, self.pack).repeat(group, axis=0))   # (N·group, 1)
        dout = np.zeros_like(logits)
        dout[::group] = dlogits(logits[::group])
        dx, _ = net.backward(dout, cache, need_params=False)        # (N·group, p·n)
        return logits[::group], dx[::group].reshape(N, self.pack, -1).sum(axis=1)

    def __call__(self, x):
        """logits = D(x), no cache: x (N, n) -> (N/p, 1)."""
        return self.forward(x)[0]

    # --- state besides θ_D ------------------------------------------------------------------------

    def frozen(self):
        """A copy of D as the passes see it now (W̄ fixed), for a step against a future D (unroll.py)."""
        return Discriminator(copy.deepcopy(self.network()[0]), self.pack, n_x=self.n_x)

    def state_arrays(self):
        """What D keeps besides θ_D (spectral norm's u, v), as named arrays; {} otherwise."""
        return self.weights.state_arrays()

    def load_state(self, arrays):
        self.weights.load_state(arrays)


def build_discriminator(cfg, dim, K, rng, dtype):
    """D of a config: MLP [(dim + K)·pack, hidden_d × depth, 1], mbstd inside, spectral norm
    around; dim: the data's, K: the one-hot label columns (0 unless conditional).

    Draws from rng in the order every run has: the MLP's weights layer by layer, then (only with
    spectral norm) one u per weight matrix, so a run without a remedy draws what it always drew.
    """
    extra = {cfg.mbstd_layer: MinibatchStd(MBSTD_GROUP)} if cfg.mbstd_layer else None
    sizes = [(dim + K) * cfg.pack] + [cfg.hidden_d] * cfg.depth + [1]   # PacGAN: p samples wide
    mlp = MLP(sizes, cfg.activation, rng=rng, dtype=dtype, extra=extra)
    spectral = SpectralNorm(mlp, rng) if cfg.spectral_norm else None   # draws u if on
    return Discriminator(mlp, cfg.pack, spectral, n_x=dim * cfg.pack)
