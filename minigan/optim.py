r"""Optimizers that update a params dict in place from a grads dict keyed the same way.

The update rules are PyTorch's (``torch.optim.SGD``, ``RMSprop``, ``Adam``, no weight decay),
so a run ported from PyTorch follows the same trajectory. State is named after the papers'
symbols (m, v, b, t). Every optimizer *descends*: a player that ascends (D on V) hands in the
gradient of the loss it minimises.

Every rule is elementwise, so it is written once, on flat vectors: the gradient is gathered
into one vector g (in the order of ``params``), the state (m, v, b) are flat vectors, and
``update`` computes the step Δ into one scratch vector; then θ ← θ − Δ. When the parameters
are views into one flat vector (an ``MLP``'s ``theta``), that is a single subtraction, so a
step of Adam is a dozen NumPy calls whatever the number of layers, and allocates nothing.
Per element it is exactly the arithmetic of a per-parameter loop (the same operations in the
same order), so the numbers do not change.
"""
import math

import numpy as np


def flat_base(arrays):
    """The 1-D array that ``arrays`` tile, in order, as contiguous views (an MLP's theta), or None."""
    base = arrays[0].base
    if base is None or base.ndim != 1 or not base.flags.c_contiguous:
        return None
    start = base.__array_interface__["data"][0]
    for a in arrays:
        if a.base is not base or not a.flags.c_contiguous or a.__array_interface__["data"][0] != start:
            return None
        start += a.nbytes
    return base if start == base.__array_interface__["data"][0] + base.nbytes else None


class Optimizer:
    """Shared plumbing: params dict, flat gradient, flat state, checkpointable state."""

    SLOTS = ()     # names of the state vectors (Adam: m, v)

    def __init__(self, params, lr):
        if not lr > 0:
            raise ValueError(f"learning rate must be > 0, got {lr}")
        arrays = list(params.values())
        if len({a.dtype for a in arrays}) != 1:
            raise ValueError("all parameters must have the same dtype")
        self.params, self.lr, self.t = params, float(lr), 0
        n, dt = sum(a.size for a in arrays), arrays[0].dtype
        self.theta = flat_base(arrays)             # None: update the parameters one by one
        self.g = np.empty(n, dt)                   # the gradient, gathered into one vector
        self.delta = np.empty(n, dt)               # scratch for the step Δ (not checkpointed)
        self.state = {slot: np.zeros(n, dt) for slot in self.SLOTS}

    def _views(self, flat):
        """{name: the part of a flat vector that belongs to params[name], in its shape}."""
        out, i = {}, 0
        for name, p in self.params.items():
            out[name] = flat[i:i + p.size].reshape(p.shape)
            i += p.size
        return out

    def step(self, grads):
        """Apply one update to every parameter; grads has the keys (and shapes) of params."""
        if grads.keys() != self.params.keys():
            raise ValueError(f"step needs a gradient for every parameter {list(self.params)}, "
                             f"got {list(grads)}")
        self.t += 1
        np.concatenate([grads[name].ravel() for name in self.params], out=self.g)
        delta = self.update(self.g, self.delta)
        if self.theta is not None:
            self.theta -= delta                       # θ ← θ − Δ, every layer at once
        else:
            for name, d in self._views(delta).items():
                self.params[name] -= d

    def update(self, g, delta):
        """Write the step Δ for gradient g into ``delta`` (and advance the state); return it."""
        raise NotImplementedError

    def state_dict(self):
        """Flat dict of arrays, e.g. {"t": 3, "m/W1": ..., "v/W1": ...} (for np.savez)."""
        out = {"t": np.array(self.t)}
        for slot, vec in self.state.items():
            for name, arr in self._views(vec).items():
                out[f"{slot}/{name}"] = arr
        return out

    def load_state_dict(self, d):
        self.t = int(d["t"])
        for slot, vec in self.state.items():
            vec[:] = 0
            for name, arr in self._views(vec).items():
                if f"{slot}/{name}" in d:
                    arr[...] = d[f"{slot}/{name}"]


class SGD(Optimizer):
    r"""SGD with momentum μ (PyTorch form, dampening 0):

        b ← μ·b + g (b = 0 before the first step, so b = g then);
        p ← p − lr·(g + μ·b) if nesterov else p − lr·b
    """

    def __init__(self, params, lr=0.01, momentum=0.0, nesterov=False):
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        if nesterov and momentum == 0:
            raise ValueError("nesterov momentum needs momentum > 0")
        self.SLOTS = ("b",) if momentum else ()
        super().__init__(params, lr)
        self.momentum, self.nesterov = float(momentum), bool(nesterov)

    def update(self, g, delta):
        if self.momentum == 0:
            return np.multiply(g, self.lr, out=delta)
        b = self.state["b"]
        b *= self.momentum
        b += g
        if self.nesterov:
            np.multiply(b, self.momentum, out=delta)        # g + μ·b
            delta += g
        else:
            delta[:] = b
        delta *= self.lr
        return delta


class RMSProp(Optimizer):
    r"""RMSProp (PyTorch defaults α = 0.99, ε = 1e-8, not centred, no momentum):

        v ← α·v + (1 − α)·g²;   p ← p − lr·g / (√v + ε)
    """

    SLOTS = ("v",)

    def __init__(self, params, lr=0.01, alpha=0.99, eps=1e-8):
        super().__init__(params, lr)
        self.alpha, self.eps = float(alpha), float(eps)

    def update(self, g, delta):
        v = self.state["v"]
        v *= self.alpha                          # v ← α·v + (1 − α)·g²
        np.multiply(g, g, out=delta)
        delta *= 1 - self.alpha
        v += delta
        np.sqrt(v, out=delta)                    # Δ = lr·g / (√v + ε)
        delta += self.eps
        np.divide(g, delta, out=delta)
        delta *= self.lr
        return delta


class Adam(Optimizer):
    r"""Adam (Kingma & Ba 2015; PyTorch's form of the bias correction):

        m ← β₁·m + (1 − β₁)·g;   v ← β₂·v + (1 − β₂)·g²
        p ← p − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
    """

    SLOTS = ("m", "v")

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params, lr)
        b1, b2 = betas
        if not (0.0 <= b1 < 1.0 and 0.0 <= b2 < 1.0):
            raise ValueError(f"betas must be in [0, 1), got {betas}")
        self.b1, self.b2, self.eps = float(b1), float(b2), float(eps)

    def update(self, g, delta):
        m, v = self.state["m"], self.state["v"]
        m *= self.b1                             # m ← β₁·m + (1 − β₁)·g
        np.multiply(g, 1 - self.b1, out=delta)
        m += delta
        v *= self.b2                             # v ← β₂·v + (1 − β₂)·g²
        np.multiply(g, g, out=delta)
        delta *= 1 - self.b2
        v += delta
        # Δ = (lr / (1 − β₁ᵗ)) · m / (√v / c + ε) with c = √(1 − β₂ᵗ), computed as
        #     (lr·c / (1 − β₁ᵗ)) · m / (√v + ε·c): the same quantity, one pass fewer
        c = math.sqrt(1 - self.b2 ** self.t)
        np.sqrt(v, out=delta)
        delta += self.eps * c
        np.divide(m, delta, out=delta)
        delta *= self.lr * c / (1 - self.b1 ** self.t)
        return delta


OPTIMIZERS = {"sgd": SGD, "rmsprop": RMSProp, "adam": Adam}


def clip_weights(params, c):
    r"""WGAN weight clipping (Arjovsky et al. 2017, Algorithm 1): w ← clip(w, −c, c), in place."""
    for p in params.values():
        np.clip(p, -c, c, out=p)
