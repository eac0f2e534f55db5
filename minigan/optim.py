r"""Optimizers that update a params dict in place from a grads dict keyed the same way.

    opt = Adam(D.params, lr=2e-4, betas=(0.5, 0.999))
    opt.step(grads)          # grads: {"W1": ∂L/∂W1, "b1": …}, the gradient of the loss D *minimises*

The update rules are PyTorch's (``torch.optim.SGD``, ``RMSprop``, ``Adam``, no weight decay), so a
run ported from PyTorch follows the same trajectory up to floating-point rounding (the same
formulas, evaluated in a different order: 4e-16 apart after 200 steps in float64). State is named
after the papers' symbols (m, v, b, t) and kept per parameter, like the parameters themselves.
Every optimizer *descends*: a player that ascends (D on V) hands in the gradient of the loss it
minimises.
"""
import math

import numpy as np


class Optimizer:
    """Shared plumbing: the params dict, the step count t, per-parameter state, checkpointing."""

    SLOTS = ()     # names of the state arrays per parameter (Adam: m, v)

    def __init__(self, params, lr):
        if not lr > 0:
            raise ValueError(f"learning rate must be > 0, got {lr}")
        self.params, self.lr, self.t = params, float(lr), 0
        # state[slot][name]: an array like params[name], zero before the first step
        self.state = {slot: {name: np.zeros_like(p) for name, p in params.items()}
                      for slot in self.SLOTS}

    def step(self, grads):
        """Apply one update to every parameter; grads has the keys (and shapes) of params."""
        for name, delta in self.deltas(grads).items():
            self.params[name] -= delta                 # p ← p − Δ, in place: the network's array

    def deltas(self, grads):
        """The step Δ of every parameter for grads, advancing t and the state; nothing applied.

        ``step`` subtracts them; an update rule that combines steps (the optimistic rule of
        remedies/updates.py) takes them from here instead of reaching into t or ``update``."""
        if grads.keys() != self.params.keys():
            raise ValueError(f"step needs a gradient for every parameter {list(self.params)}, "
                             f"got {list(grads)}")
        self.t += 1
        return {name: self.update(name, grads[name]) for name in self.params}

    def update(self, name, g):
        """The step Δ for parameter ``name`` with gradient g (advancing its state)."""
        raise NotImplementedError

    def state_dict(self):
        """Flat dict of arrays, e.g. {"t": 3, "m/W1": ..., "v/W1": ...} (for np.savez)."""
        out = {"t": np.array(self.t)}
        for slot, arrays in self.state.items():
            out.update({f"{slot}/{name}": a for name, a in arrays.items()})
        return out

    def load_state_dict(self, d):
        self.t = int(d["t"])
        for slot, arrays in self.state.items():
            for name, a in arrays.items():
                a[...] = d.get(f"{slot}/{name}", 0)

    def save(self):
        """A copy of the parameters and of the state, for ``restore`` (a step taken on trial)."""
        return ({k: p.copy() for k, p in self.params.items()},
                {k: np.array(v, copy=True) for k, v in self.state_dict().items()})

    def restore(self, saved):
        """Put the parameters and the state back as ``save`` found them."""
        params, state = saved
        for k, p in self.params.items():
            p[...] = params[k]
        self.load_state_dict(state)


class SGD(Optimizer):
    r"""SGD with momentum μ (PyTorch form, dampening 0):

        b ← μ·b + g (b = 0 before the first step, so b = g then);
        Δ = lr·(g + μ·b) if nesterov else lr·b
    """

    def __init__(self, params, lr=0.01, momentum=0.0, nesterov=False):
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        if nesterov and momentum == 0:
            raise ValueError("nesterov momentum needs momentum > 0")
        self.SLOTS = ("b",) if momentum else ()
        super().__init__(params, lr)
        self.momentum, self.nesterov = float(momentum), bool(nesterov)

    def update(self, name, g):
        if self.momentum == 0:
            return self.lr * g
        b = self.state["b"][name]
        b[...] = self.momentum * b + g
        return self.lr * (g + self.momentum * b) if self.nesterov else self.lr * b


class RMSProp(Optimizer):
    r"""RMSProp (PyTorch defaults α = 0.99, ε = 1e-8, not centred, no momentum):

        v ← α·v + (1 − α)·g²;   Δ = lr·g / (√v + ε)
    """

    SLOTS = ("v",)

    def __init__(self, params, lr=0.01, alpha=0.99, eps=1e-8):
        super().__init__(params, lr)
        self.alpha, self.eps = float(alpha), float(eps)

    def update(self, name, g):
        v = self.state["v"][name]
        v[...] = self.alpha * v + (1 - self.alpha) * g**2
        return self.lr * g / (np.sqrt(v) + self.eps)


class Adam(Optimizer):
    r"""Adam (Kingma & Ba 2015, Algorithm 1, in the efficient form of their §2):

        m ← β₁·m + (1 − β₁)·g            (first moment)
        v ← β₂·v + (1 − β₂)·g²           (second moment)
        α_t = lr·√(1 − β₂ᵗ) / (1 − β₁ᵗ),   ε̂ = ε·√(1 − β₂ᵗ)
        Δ = α_t · m / (√v + ε̂)

    which in exact arithmetic is lr·m̂ / (√v̂ + ε) with the bias-corrected m̂ = m/(1 − β₁ᵗ) and
    v̂ = v/(1 − β₂ᵗ), PyTorch's formula (only the rounding differs).
    """

    SLOTS = ("m", "v")

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params, lr)
        b1, b2 = betas
        if not (0.0 <= b1 < 1.0 and 0.0 <= b2 < 1.0):
            raise ValueError(f"betas must be in [0, 1), got {betas}")
        self.b1, self.b2, self.eps = float(b1), float(b2), float(eps)

    def update(self, name, g):
        m, v = self.state["m"][name], self.state["v"][name]
        m[...] = self.b1 * m + (1 - self.b1) * g
        v[...] = self.b2 * v + (1 - self.b2) * g**2
        c = math.sqrt(1 - self.b2 ** self.t)
        alpha_t = self.lr * c / (1 - self.b1 ** self.t)
        eps_hat = self.eps * c
        return alpha_t * m / (np.sqrt(v) + eps_hat)


OPTIMIZERS = {"sgd": SGD, "rmsprop": RMSProp, "adam": Adam}


def clip_weights(params, c):
    r"""WGAN weight clipping (Arjovsky et al. 2017, Algorithm 1): w ← clip(w, −c, c), in place."""
    for p in params.values():
        np.clip(p, -c, c, out=p)


def global_norm(grads):
    r"""‖(g₁, g₂, …)‖₂ over every array of a grads dict (the length of the whole gradient)."""
    return math.sqrt(sum(float(np.vdot(g, g)) for g in grads.values()))
