r"""Spectral normalisation of D's weights (Miyato et al. 2018; docs/references.md §9).

Each weight matrix W of D is used as W̄ = W / σ̂, where σ̂ estimates W's largest singular value
(its spectral norm, the Lipschitz constant of x ↦ x·W). Biases are left alone, as in the paper.
The estimate comes from a persistent vector u and *one* power iteration per D update:

    v = Wᵀu / ‖Wᵀu‖,   u = W·v / ‖W·v‖,   σ̂ = uᵀ·W·v                      (power_iteration)

Every other pass through D — the G step's, an evaluation, a plot — reuses the stored u and v with
the current W (like a PyTorch module in eval mode): they never advance the iteration.

Gradient. The loss L reaches W only through W̄; write G = ∂L/∂W̄. Holding u and v fixed (the
paper does; they are not differentiated), ∂σ̂/∂W = u·vᵀ, and for each entry (i, j)

    ∂L/∂W_ij = Σ_kl G_kl ∂(W_kl/σ̂)/∂W_ij = G_ij/σ̂ − (Σ_kl G_kl W_kl)/σ̂² · u_i v_j,

that is, with ⟨·,·⟩ the Frobenius inner product,

    ∂L/∂W = (1/σ̂)·(G − ⟨G, W̄⟩·u·vᵀ)                                        (normalize_backward)

(Miyato et al. 2018, the gradient of §2.2 written for the whole matrix). The gradient penalties
reach W the same way: penalties.py differentiates the network that holds W̄, which gives
∂P/∂W̄, and the same map turns it into ∂P/∂W.

Shapes: W (D, H) as in layers.Linear (y = x·W + b); u (D,), v (H,).
"""
import copy

import numpy as np


def power_iteration(W, u):
    r"""One power-iteration step from u: v = Wᵀu/‖Wᵀu‖ (H,), then u = Wv/‖Wv‖ (D,). Returns (u, v)."""
    v = W.T @ u
    v = v / np.linalg.norm(v)
    u = W @ v
    return u / np.linalg.norm(u), v


def normalize_forward(W, u, v):
    r"""W̄ = W / σ̂ with σ̂ = uᵀ·W·v.   W: (D, H), u: (D,), v: (H,) -> W̄: (D, H), cache."""
    sigma = u @ W @ v
    W_bar = W / sigma
    return W_bar, (W_bar, u, v, sigma)


def normalize_backward(dW_bar, cache):
    r"""∂L/∂W = (1/σ̂)·(G − ⟨G, W̄⟩·u·vᵀ), G = dW_bar (D, H); u, v held fixed."""
    W_bar, u, v, sigma = cache
    return (dW_bar - np.vdot(dW_bar, W_bar) * np.outer(u, v)) / sigma


class SpectralNorm:
    r"""The persistent u, v of every weight matrix of D, and a twin of D that holds W̄.

    u starts as a random unit vector drawn from the run's generator when the Trainer is built
    (only when spectral normalisation is on, so other runs draw exactly what they drew before),
    and v = Wᵀu/‖Wᵀu‖, so that σ̂ is defined before the first D update.
    ``net`` is a deep copy of D (same class, same shapes) into which ``forward`` writes W̄ and
    the biases; the optimizer keeps updating D's own, unnormalised W.
    """

    def __init__(self, D, rng):
        self.names = [k for k in D.params if k.startswith("W")]
        self.u, self.v = {}, {}
        for k in self.names:
            W = D.params[k]
            u = rng.standard_normal(W.shape[0]).astype(W.dtype)
            self.u[k] = u / np.linalg.norm(u)
            v = W.T @ self.u[k]
            self.v[k] = v / np.linalg.norm(v)
        self.net = copy.deepcopy(D)

    def power_iteration(self, D):
        """Advance every layer's u, v by one step at D's current weights (once per D update)."""
        for k in self.names:
            self.u[k], self.v[k] = power_iteration(D.params[k], self.u[k])

    def forward(self, D):
        r"""The network with W̄ = W/σ̂ (stored u, v) and D's biases, and the caches of each W̄."""
        caches = {}
        for k, p in D.params.items():
            if not k.startswith("W"):                  # biases: as they are
                self.net.params[k][...] = p
                continue
            W_bar, caches[k] = normalize_forward(p, self.u[k], self.v[k])
            self.net.params[k][...] = W_bar
        return self.net, caches

    def backward(self, grads_bar, caches):
        """Gradients w.r.t. W̄ (and b) -> gradients w.r.t. D's own W (and b, unchanged)."""
        return {k: normalize_backward(g, caches[k]) if k in caches else g
                for k, g in grads_bar.items()}

    def state_arrays(self):
        """u and v of every layer, for the checkpoint: {"sn_u/W1": (D,), "sn_v/W1": (H,), …}."""
        return {**{f"sn_u/{k}": u for k, u in self.u.items()},
                **{f"sn_v/{k}": v for k, v in self.v.items()}}

    def load_state(self, arrays):
        for k in self.names:
            self.u[k] = np.array(arrays[f"sn_u/{k}"], dtype=self.u[k].dtype)
            self.v[k] = np.array(arrays[f"sn_v/{k}"], dtype=self.v[k].dtype)
