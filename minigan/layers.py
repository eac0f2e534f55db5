r"""Layers with hand-written backward passes (CS231n style).

Every layer is a forward/backward pair:

    out, cache = layer.forward(x)          # cache: what backward needs, nothing on self
    dx, grads  = layer.backward(dout, cache)

``grads`` is a dict keyed like ``layer.params`` (empty for activations). A layer keeps no
per-call state, so one network can run on a real batch and on a fake batch in the same step
and back-propagate each with its own cache.

Activations also expose their first and second derivatives as functions of the cache,
``fprime(cache)`` = f′(a) and ``fsecond(cache)`` = f″(a): the gradient penalty
(``penalties.py``) differentiates the backward pass itself and needs both.

Shapes: N batch, D input width, H output width.
"""
import math

import numpy as np

DTYPES = ("float32", "float64")


def as_dtype(dtype):
    """np.dtype of a float32/float64 name or type; anything else is a ValueError."""
    dt = np.dtype(dtype)
    if dt.name not in DTYPES:
        raise ValueError(f"dtype must be one of {DTYPES}, got {dt.name!r}")
    return dt


class Linear:
    r"""Affine layer y = x·W + b.

    Initialisation as in the WGAN-GP toy code (Gulrajani et al. 2017, tflib ``Linear``):
    W ~ U[−√3·s, √3·s] (a uniform law with standard deviation s) and b = 0, with
    s = √(2 / D) for ``init="he"`` (layers followed by ReLU-family activations) and
    s = √(2 / (D + H)) for ``init="glorot"`` (the output layer, tanh/sigmoid layers).

    params: W (D, H), b (H,)
    """

    def __init__(self, fan_in, fan_out, rng, init="glorot", dtype=np.float64):
        if init not in ("he", "glorot"):
            raise ValueError(f"init must be 'he' or 'glorot', got {init!r}")
        dt = as_dtype(dtype)
        s = math.sqrt(2.0 / fan_in) if init == "he" else math.sqrt(2.0 / (fan_in + fan_out))
        W = rng.uniform(-math.sqrt(3.0) * s, math.sqrt(3.0) * s, size=(fan_in, fan_out))
        self.params = {"W": W.astype(dt), "b": np.zeros(fan_out, dtype=dt)}

    def forward(self, x):
        r"""y = x·W + b.   x: (N, D) -> y: (N, H); cache = x."""
        return x @ self.params["W"] + self.params["b"], x     # (N, H)

    def backward(self, dout, cache):
        r"""dx = dout·Wᵀ,  dW = xᵀ·dout,  db = Σ_n dout.   dout: (N, H) -> dx: (N, D)."""
        return self.input_grad(dout), self.param_grads(dout, cache)

    def input_grad(self, dout):
        r"""dx = dout·Wᵀ: (N, H) -> (N, D). The path a generator step takes through D."""
        return dout @ self.params["W"].T

    def param_grads(self, dout, cache):
        r"""dW = xᵀ·dout (D, H) and db = Σ_n dout (H,)."""
        return {"W": cache.T @ dout, "b": dout.sum(axis=0)}


class Activation:
    r"""Elementwise h = f(a). Subclasses define forward, fprime and fsecond.

    backward is the same for all: da = dh ⊙ f′(a).
    ``curved`` is False where f″ ≡ 0 (piecewise-linear f), so a double-backward pass
    can skip the f″ terms exactly rather than multiply by zeros.
    """

    params = {}
    curved = True

    def backward(self, dout, cache):
        r"""da = dout ⊙ f′(a).   dout: (N, H) -> (N, H)."""
        return dout * self.fprime(cache), {}


class ReLU(Activation):
    r"""h = max(a, 0);  f′ = 1[a > 0];  f″ = 0 (almost everywhere). cache = h."""

    curved = False

    def forward(self, a):
        h = np.maximum(a, 0)
        return h, h

    def backward(self, dout, cache):
        r"""da = dout ⊙ 1[a > 0] (CS231n's ``dout * (x > 0)``; h > 0 exactly where a > 0)."""
        return dout * (cache > 0), {}

    def fprime(self, cache):
        return (cache > 0).astype(cache.dtype)

    def fsecond(self, cache):
        return np.zeros_like(cache)


class LeakyReLU(Activation):
    r"""h = a for a > 0, slope·a otherwise;  f′ = 1 or slope;  f″ = 0. cache = h.

    With 0 ≤ slope < 1 the sign of h is the sign of a, so the cache can be h.
    """

    curved = False

    def __init__(self, slope=0.2):
        if not 0.0 <= slope < 1.0:
            raise ValueError(f"LeakyReLU slope must be in [0, 1), got {slope}")
        self.slope = float(slope)

    def forward(self, a):
        h = np.where(a > 0, a, self.slope * a)
        return h, h

    def fprime(self, cache):
        return np.where(cache > 0, 1, self.slope).astype(cache.dtype)

    def fsecond(self, cache):
        return np.zeros_like(cache)


class Tanh(Activation):
    r"""h = tanh(a);  f′ = 1 − h²;  f″ = −2h(1 − h²). cache = h."""

    def forward(self, a):
        h = np.tanh(a)
        return h, h

    def fprime(self, cache):
        return 1 - cache * cache

    def fsecond(self, cache):
        return -2 * cache * (1 - cache * cache)


def sigmoid(a):
    r"""σ(a) = 1 / (1 + e^{−a}), accurate to a few ulps for every float32 and float64 a.

    With e = e^{−|a|} ∈ (0, 1] (never overflows):  σ(a) = 1 / (1 + e) for a ≥ 0 and
    σ(a) = e / (1 + e) for a < 0. Each branch divides two numbers known to full relative
    precision, so σ(−80) ≈ 1.8e-35 is exact to the last bits in float32 too. (The form
    (1 + tanh(a/2))/2 adds 1 to a number near −1 and loses those bits: in float32 it is 96 %
    off at a = −18 and 0 below −20 — exactly the saturated regime the losses are about.)
    """
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1 / (1 + e), e / (1 + e))


class Sigmoid(Activation):
    r"""h = σ(a);  f′ = h(1 − h);  f″ = h(1 − h)(1 − 2h). cache = h."""

    def forward(self, a):
        h = sigmoid(a)
        return h, h

    def fprime(self, cache):
        return cache * (1 - cache)

    def fsecond(self, cache):
        return cache * (1 - cache) * (1 - 2 * cache)


class Softplus(Activation):
    r"""h = log(1 + eᵃ);  f′ = σ(a);  f″ = σ(a)(1 − σ(a)). cache = σ(a).

    log(1 + eᵃ) is computed as logaddexp(0, a): no overflow for large a.
    """

    def forward(self, a):
        return np.logaddexp(0, a), sigmoid(a)

    def fprime(self, cache):
        return cache

    def fsecond(self, cache):
        return cache * (1 - cache)


ACTIVATIONS = {"relu": ReLU, "leaky_relu": LeakyReLU, "tanh": Tanh, "sigmoid": Sigmoid,
               "softplus": Softplus}
