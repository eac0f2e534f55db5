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

Layer numbering: ``--mbstd-layer L`` appends s to the output of D's L-th hidden layer (after
its activation), 1 ≤ L ≤ depth; so Linear layer L + 1 reads H + 1 inputs. The checkpoint keys stay
W1, b1, … (the layer has no parameters). Shapes: N batch (divisible by G), H features.
"""
import numpy as np

from ..config import MBSTD_GROUP as GROUP     # ProGAN's official code: mbstd_group_size = 4

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


class MinibatchStd:
    r"""The minibatch-std layer: h (N, H) -> [h, s of the row's group] (N, H + 1); no parameters.

    A layer like those of layers.py (forward → (out, cache), backward → (dh, {})), put into D's
    MLP after hidden layer L with ``MLP(..., extra={L: MinibatchStd()})``: Linear L + 1 then
    reads H_L + ``width`` inputs. D's rows must come in whole groups (config.py checks it).
    """

    params = {}
    width = 1                  # features appended

    def __init__(self, group=GROUP):
        self.group = group

    def forward(self, h):
        return minibatch_std_forward(h, self.group)

    def backward(self, dout, cache):
        return minibatch_std_backward(dout, cache), {}
