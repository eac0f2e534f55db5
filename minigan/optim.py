r"""Optimizers that update a params dict in place from a grads dict keyed the same way.

The update rules are PyTorch's (``torch.optim.SGD``, ``RMSprop``, ``Adam``, no weight decay),
so a run ported from PyTorch follows the same trajectory. State is named after the papers'
symbols (m, v, t) and kept per parameter name. Every optimizer *descends*: a player that
ascends (D on V) hands in the gradient of the loss it minimises.

Updates are written as in-place operations on the state and on one scratch array per parameter
(``_work``, not part of the state), so a step allocates nothing: on a 2-core machine, fresh
temporaries the size of a weight matrix cost more in page faults than the arithmetic itself.
"""
import math

import numpy as np


class Optimizer:
    """Shared plumbing: params dict, per-parameter state, checkpointable state."""

    def __init__(self, params, lr):
        if not lr > 0:
            raise ValueError(f"learning rate must be > 0, got {lr}")
        self.params, self.lr, self.t = params, float(lr), 0
        self.state = {}    # name -> {slot: array}
        self.work = {}     # name -> scratch array shaped like the parameter (not checkpointed)

    def _slot(self, name, slot):
        st = self.state.setdefault(name, {})
        if slot not in st:
            st[slot] = np.zeros_like(self.params[name])
        return st[slot]

    def _work(self, name):
        """A scratch array shaped like params[name], reused by every step (contents undefined)."""
        if name not in self.work:
            self.work[name] = np.empty_like(self.params[name])
        return self.work[name]

    def step(self, grads):
        """Apply one update to every parameter named in grads."""
        self.t += 1
        for name, g in grads.items():
            self.update(name, self.params[name], g)

    def state_dict(self):
        """Flat dict of arrays, e.g. {"t": 3, "m/W1": ..., "v/W1": ...} (for np.savez)."""
        out = {"t": np.array(self.t)}
        for name, st in self.state.items():
            for slot, arr in st.items():
                out[f"{slot}/{name}"] = arr
        return out

    def load_state_dict(self, d):
        self.t, self.state = int(d["t"]), {}
        for key, arr in d.items():
            if key != "t":
                slot, name = key.split("/", 1)
                self.state.setdefault(name, {})[slot] = np.array(arr, dtype=self.params[name].dtype)


class SGD(Optimizer):
    r"""SGD with momentum μ (PyTorch form, dampening 0):

        b ← g (first step), b ← μ·b + g (after);   p ← p − lr·(g + μ·b) if nesterov else p − lr·b
    """

    def __init__(self, params, lr=0.01, momentum=0.0, nesterov=False):
        super().__init__(params, lr)
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        if nesterov and momentum == 0:
            raise ValueError("nesterov momentum needs momentum > 0")
        self.momentum, self.nesterov = float(momentum), bool(nesterov)

    def update(self, name, p, g):
        if self.momentum == 0:
            p -= self.lr * g
            return
        first = name not in self.state
        b = self._slot(name, "b")
        if first:
            b[...] = g
        else:
            b *= self.momentum
            b += g
        p -= self.lr * (g + self.momentum * b if self.nesterov else b)


class RMSProp(Optimizer):
    r"""RMSProp (PyTorch defaults α = 0.99, ε = 1e-8, not centred, no momentum):

        v ← α·v + (1 − α)·g²;   p ← p − lr·g / (√v + ε)
    """

    def __init__(self, params, lr=0.01, alpha=0.99, eps=1e-8):
        super().__init__(params, lr)
        self.alpha, self.eps = float(alpha), float(eps)

    def update(self, name, p, g):
        v, tmp = self._slot(name, "v"), self._work(name)
        v *= self.alpha                          # v ← α·v + (1 − α)·g²
        np.multiply(g, g, out=tmp)
        tmp *= 1 - self.alpha
        v += tmp
        np.sqrt(v, out=tmp)                      # p ← p − lr·g / (√v + ε)
        tmp += self.eps
        np.divide(g, tmp, out=tmp)
        tmp *= self.lr
        p -= tmp


class Adam(Optimizer):
    r"""Adam (Kingma & Ba 2015; PyTorch's form of the bias correction):

        m ← β₁·m + (1 − β₁)·g;   v ← β₂·v + (1 − β₂)·g²
        p ← p − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params, lr)
        b1, b2 = betas
        if not (0.0 <= b1 < 1.0 and 0.0 <= b2 < 1.0):
            raise ValueError(f"betas must be in [0, 1), got {betas}")
        self.b1, self.b2, self.eps = float(b1), float(b2), float(eps)

    def update(self, name, p, g):
        m, v, tmp = self._slot(name, "m"), self._slot(name, "v"), self._work(name)
        m *= self.b1                             # m ← β₁·m + (1 − β₁)·g
        np.multiply(g, 1 - self.b1, out=tmp)
        m += tmp
        v *= self.b2                             # v ← β₂·v + (1 − β₂)·g²
        np.multiply(g, g, out=tmp)
        tmp *= 1 - self.b2
        v += tmp
        # p ← p − (lr / (1 − β₁ᵗ)) · m / (√v / c + ε) with c = √(1 − β₂ᵗ), computed as
        #     p − (lr·c / (1 − β₁ᵗ)) · m / (√v + ε·c): the same number, one pass fewer
        c = math.sqrt(1 - self.b2 ** self.t)
        np.sqrt(v, out=tmp)
        tmp += self.eps * c
        np.divide(m, tmp, out=tmp)
        tmp *= self.lr * c / (1 - self.b1 ** self.t)
        p -= tmp


OPTIMIZERS = {"sgd": SGD, "rmsprop": RMSProp, "adam": Adam}


def clip_weights(params, c):
    r"""WGAN weight clipping (Arjovsky et al. 2017, Algorithm 1): w ← clip(w, −c, c), in place."""
    for p in params.values():
        np.clip(p, -c, c, out=p)
