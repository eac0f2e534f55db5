r"""Minibatch standard deviation (Karras et al. 2018, ProGAN §3; docs/references.md §9).

D gets one extra feature that describes a *group* of samples rather than one: a collapsed G
makes groups whose samples agree, and D can see it. In ProGAN's official form, with groups of
G = 4 samples and h the activations of a hidden layer (N, H):

    μ_j = (1/G) Σ_i h_ij,   σ_j = √((1/G) Σ_i (h_ij − μ_j)² + ε),   s = (1/H) Σ_j σ_j
    out = [h, s]: the group's s appended to each of its samples as feature H + 1     (N, H + 1)

(i runs over the group's samples, j over features; ε = 1e-8 as in the official code.)
Backward: the upstream gradient of the appended column, summed over the group, is ds; and
∂s/∂h_ij = (h_ij − μ_j) / (H·G·σ_j) (the terms through μ_j sum to zero), so

    dh_ij = dout_ij + ds · (h_ij − μ_j) / (H·G·σ_j)                          (minibatch_std_backward)

Groups are G *consecutive* rows. D's step stacks the real batch on the fake batch (B rows each);
with B divisible by G (config.py requires it) no group straddles the two halves, so the
statistic is computed on the real half and on the fake half separately, never across.

Layer numbering: ``layer`` = L appends s to the output of D's L-th hidden layer (after its
activation), 1 ≤ L ≤ depth; so layer L + 1 reads H + 1 inputs. Shapes: N batch (divisible by G),
H features.
"""
import numpy as np

from .layers import ACTIVATIONS, Linear, as_dtype
from .mlp import HE_INIT, MLP

GROUP = 4       # ProGAN's official code: mbstd_group_size = 4
EPS = 1e-8      # inside the square root, as in the official code


def minibatch_std_forward(h, group=GROUP):
    r"""h: (N, H) -> out (N, H + 1) = [h, s of the row's group], cache."""
    N, H = h.shape
    hg = h.reshape(N // group, group, H)                            # (N/G, G, H)
    dev = hg - hg.mean(axis=1, keepdims=True)                       # h − μ: (N/G, G, H)
    sd = np.sqrt((dev * dev).mean(axis=1, keepdims=True) + EPS)     # σ_j: (N/G, 1, H)
    s = sd.mean(axis=2)                                             # (N/G, 1)
    col = np.repeat(s, group, axis=0).astype(h.dtype)              # (N, 1): s for every row
    return np.concatenate([h, col], axis=1), (dev, sd, group)


def minibatch_std_backward(dout, cache):
    r"""dout: (N, H + 1) -> dh: (N, H) = dout[:, :H] + ds·(h − μ)/(H·G·σ)."""
    dev, sd, group = cache
    P, G, H = dev.shape
    ds = dout[:, H].reshape(P, G).sum(axis=1)                      # (N/G,): every row's share
    dh = ds[:, None, None] * dev / (H * G * sd)                     # (N/G, G, H)
    return dout[:, :H] + dh.reshape(P * G, H)


class MbstdMLP(MLP):
    r"""An MLP (mlp.py) with the minibatch-std feature appended after hidden layer ``layer``.

    sizes = [D, H₁, …, H_{L−1}, out] as for MLP; Linear layer ``layer`` + 1 gets one more input.
    Same interface as MLP: params W1, b1, …; forward(x) -> (y, cache); backward(dy, cache,
    need_params, need_dx) -> (dx, grads); load_params, __call__ and θ come from MLP.
    Initialised like MLP (He for ReLU-family hidden layers, Glorot otherwise), drawing from rng
    in layer order.
    """

    def __init__(self, sizes, activation, layer, rng, dtype=np.float64, slope=0.2):
        sizes = [int(s) for s in sizes]
        if not 1 <= layer <= len(sizes) - 2:
            raise ValueError(f"layer must name a hidden layer, 1 to {len(sizes) - 2}, got {layer}")
        self.sizes, self.activation, self.layer = sizes, activation, layer
        self.dtype = as_dtype(dtype)
        self.layers, self.params = [], {}
        n_linear = len(sizes) - 1
        for l in range(1, n_linear + 1):
            last = l == n_linear
            fan_in = sizes[l - 1] + (1 if l == layer + 1 else 0)
            init = "glorot" if last or activation not in HE_INIT else "he"
            lin = Linear(fan_in, sizes[l], rng, init, self.dtype)
            self.layers.append(lin)
            self.params[f"W{l}"], self.params[f"b{l}"] = lin.params["W"], lin.params["b"]
            if not last:
                act = ACTIVATIONS[activation]
                self.layers.append(act(slope) if activation == "leaky_relu" else act())
        self.flatten()

    def forward(self, x):
        r"""x: (N, D) -> y: (N, out); cache = (one entry per layer, the statistic's cache)."""
        h = np.asarray(x).astype(self.dtype, copy=False)
        caches, stat = [], None
        for i, layer in enumerate(self.layers):
            h, c = layer.forward(h)
            caches.append(c)
            if i == 2 * self.layer - 1:               # after hidden layer L's activation
                h, stat = minibatch_std_forward(h)    # (N, H_L + 1)
        return h, (caches, stat)

    def backward(self, dy, cache, need_params=True, need_dx=True):
        r"""dy: (N, out) -> (dx (N, D) or None, grads keyed like params or {})."""
        caches, stat = cache
        grads, d = {}, dy
        for i in range(len(self.layers) - 1, -1, -1):
            layer = self.layers[i]
            if isinstance(layer, Linear):
                l = i // 2 + 1
                if need_params:
                    g = layer.param_grads(d, caches[i])
                    grads[f"W{l}"], grads[f"b{l}"] = g["W"], g["b"]
                if i == 0 and not need_dx:
                    return None, grads
                d = layer.input_grad(d)
            else:
                if i == 2 * self.layer - 1:            # undo the appended column first
                    d = minibatch_std_backward(d, stat)
                d, _ = layer.backward(d, caches[i])
        return d, grads
