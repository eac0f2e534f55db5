r"""Gradient penalties on D's input gradient — WGAN-GP, R1, R2 — by hand-derived double backprop.

A gradient penalty P(g) is a function of g = ∇ₓD(x), which is itself the output of D's backward
pass. Its gradient with respect to D's parameters therefore runs *backwards through the backward
pass*, then through the forward pass. Notation (as in ``mlp.py``), for layers l = 1..L:

    forward     h₀ = x,   a_l = h_{l−1}·W_l + b_l,   h_l = f(a_l) (l < L),   y = a_L     (N, 1)
    backward    δ_L = 1,  u_{l−1} = δ_l·W_lᵀ,   δ_{l−1} = u_{l−1} ⊙ f′(a_{l−1}),   g = u₀   (N, D)

Each sample's output depends on its own row only, so the backward pass seeded with ones gives
every row's gradient at once: g_n = ∇ₓ D(x)_n.

Reversing it, with ū = ∂P/∂u, δ̄ = ∂P/∂δ (the adjoints), from ū₀ = ∂P/∂g up to the top,
each layer takes the VJP of its own backward map:

    u_{l−1} = δ_l·W_lᵀ           →  W̄_l += ū_{l−1}ᵀ·δ_l,   δ̄_l = ū_{l−1}·W_l      (``linear_vjp``)
    δ_l = u_l ⊙ f′(a_l), l < L    →  ū_l = δ̄_l ⊙ f′(a_l),   ā_l = δ̄_l ⊙ u_l ⊙ f″(a_l)
                                                                             (``activation_vjp``)

W appears in the backward pass as Wᵀ, which is where the first W̄ term comes from; f′(a_l)
depends on the forward pre-activation a_l, which is where the f″ terms come from. The ā_l are
then back-propagated through the forward pass like an ordinary loss gradient injected at every
layer (y itself does not enter P, so nothing is injected at the output):

    Ā_{L−1} = ā_{L−1},   Ā_l = ā_l + (Ā_{l+1}·W_{l+1}ᵀ) ⊙ f′(a_l),
    W̄_l += h_{l−1}ᵀ·Ā_l,   b̄_l = Σ_n Ā_l,   b̄_L = 0                        (``penalty_grads``)

The biases act only through f′(a_l), hence only through this second route. For ReLU and
LeakyReLU f″ ≡ 0 (``Activation.curved`` is False): every ā_l vanishes, the forward route is
skipped, and every b̄_l = 0. Dropping the f″ terms for *curved* activations (tanh, sigmoid,
softplus) is the bug of a popular NumPy library (docs/references.md §8): exact for ReLU critics only.

Penalties (each returns ``Penalty(value, grads)``, grads keyed like ``D.params``):

    gradient_penalty   λ·mean_n (‖g_n‖ − 1)²   at x̂ = εx + (1 − ε)x̃   (Gulrajani et al. 2017)
    r1, r2             (γ/2)·mean_n ‖g_n‖²      on real / fake samples  (Mescheder et al. 2018)

For a conditional D whose input is [x, one-hot label], ``n_x`` restricts g to the first n_x
columns: the penalty constrains D's slope in x, not in the label. Shapes: N batch, D input width.
"""
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

EPS = 1e-12   # inside the norm: ‖g‖ = √(Σ g² + EPS); see ``gradient_penalty`` for its (tiny) bias


@dataclass(frozen=True)
class Penalty:
    value: float    # the penalty term (already multiplied by lam or gamma/2)
    grads: dict     # ∂value/∂params, keyed like D.params, same dtypes as D's params


class LayerTape(NamedTuple):
    r"""What reversing linear layer l of the backward pass needs (one record per ``D.linears``).

    h: h_{l−1} (N, H_{l−1}), the layer's forward input;  delta: δ_l (N, H_l);
    u: u_l (N, H_l), the input of activation l's backward (None for l = L or when f″ ≡ 0);
    act_cache: activation l's forward cache (None for l = L).
    """
    h: np.ndarray
    delta: np.ndarray
    u: np.ndarray | None
    act_cache: object


def _check_critic(D):
    if D.sizes[-1] != 1:
        raise ValueError(f"a gradient penalty needs a critic with output width 1, "
                         f"got sizes {D.sizes}")
    if len(D.layers) != 2 * len(D.linears) - 1:
        raise ValueError("a gradient penalty needs a plain Linear/activation stack (a layer such "
                         "as minibatch std mixes rows: each row's ∇ₓD would not be its own)")


def input_grad(D, x):
    r"""g = ∇ₓ Σ_n D(x)_n: D's backward pass seeded with δ_L = 1, so row n is ∇ₓD(x_n).

    x: (N, D) -> g: (N, D) in D.dtype, and tape: a list of ``LayerTape``, one per linear layer,
    which ``penalty_grads`` reverses. The forward cache of ``D.forward`` is reused, not rebuilt.
    """
    _check_critic(D)
    _, cache = D.forward(x)
    linears, acts = D.linears, D.activations
    L = len(linears)
    tape = [None] * L
    delta = np.ones((cache[0].shape[0], 1), dtype=D.dtype)     # δ_L = ∂(Σ_n y_n)/∂y: (N, 1)
    u = None
    for l in range(L, 0, -1):
        act_cache = cache[2 * l - 1] if l < L else None
        keep_u = l < L and acts[l - 1].curved                    # u_l feeds the f″ term only
        tape[l - 1] = LayerTape(cache[2 * l - 2], delta, u if keep_u else None, act_cache)
        u = linears[l - 1].input_grad(delta)                     # u_{l−1} = δ_l·W_lᵀ
        if l > 1:                                                # δ_{l−1} = u_{l−1} ⊙ f′(a_{l−1})
            delta, _ = acts[l - 2].backward(u, cache[2 * l - 3])
    return u, tape


def linear_vjp(u_bar, delta, W):
    r"""VJP of the linear layer's backward map u = δ·Wᵀ, as a function of (δ, W).

    ⟨ū, δ·Wᵀ⟩ = Σ_{n,i,j} ū_{ni} δ_{nj} W_{ij}, so
        δ̄ = ∂/∂δ = ū·W   (N, H_out)      and      W̄ = ∂/∂W = ūᵀ·δ   (H_in, H_out).
    u_bar: (N, H_in), delta: (N, H_out), W: (H_in, H_out). Returns (delta_bar, W_bar).
    """
    return u_bar @ W, u_bar.T @ delta


def activation_vjp(act, delta_bar, u, act_cache):
    r"""VJP of the activation's backward map δ = u ⊙ f′(a), as a function of (u, a).

    ∂δ/∂u = f′(a) and ∂δ/∂a = u ⊙ f″(a), elementwise, so
        ū = δ̄ ⊙ f′(a)   (the activation's own backward)   and   ā = δ̄ ⊙ u ⊙ f″(a).
    delta_bar, u: (N, H). Returns (u_bar, a_bar); a_bar is None when f″ ≡ 0 (not ``curved``).
    """
    u_bar, _ = act.backward(delta_bar, act_cache)
    if not act.curved:
        return u_bar, None
    return u_bar, act.fsecond(act_cache) * delta_bar * u


def penalty_grads(D, tape, g_bar):
    r"""∂P/∂θ for every parameter θ of D, given g_bar = ∂P/∂g (N, D) and the tape of ``input_grad``.

    Route 1 (backward pass, l = 1..L): ``linear_vjp`` then ``activation_vjp``, collecting W̄_l
    and the f″ injections ā_l. Route 2 (forward pass, l = L−1..1, only if f is curved):
    Ā_l = ā_l + (Ā_{l+1}·W_{l+1}ᵀ) ⊙ f′(a_l), W̄_l += h_{l−1}ᵀ·Ā_l, b̄_l = Σ_n Ā_l. b̄_L = 0.
    Returns a dict keyed like D.params, in D.dtype.
    """
    linears, acts = D.linears, D.activations
    L = len(linears)
    grads, a_bars = {}, [None] * L
    u_bar = g_bar.astype(D.dtype, copy=False)
    for l in range(1, L + 1):                                     # route 1: up the backward pass
        rec, W = tape[l - 1], linears[l - 1].params["W"]
        if l == L:                                                # δ_L = 1 is a constant: stop
            grads[f"W{l}"] = u_bar.T @ rec.delta
            break
        delta_bar, grads[f"W{l}"] = linear_vjp(u_bar, rec.delta, W)
        u_bar, a_bars[l - 1] = activation_vjp(acts[l - 1], delta_bar, rec.u, rec.act_cache)
    for l in range(1, L + 1):
        grads[f"b{l}"] = np.zeros_like(linears[l - 1].params["b"])
    if L == 1 or not acts[0].curved:                              # f″ ≡ 0: no forward route
        return {k: grads[k] for k in D.params}
    A_bar = None                                                  # Ā_L = 0: y does not enter P
    for l in range(L - 1, 0, -1):                                 # route 2: down the forward pass
        if A_bar is None:
            A_bar = a_bars[l - 1]
        else:
            A_bar, _ = acts[l - 1].backward(A_bar @ linears[l].params["W"].T, tape[l - 1].act_cache)
            A_bar += a_bars[l - 1]
        grads[f"W{l}"] += tape[l - 1].h.T @ A_bar
        grads[f"b{l}"] = A_bar.sum(axis=0)
    return {k: grads[k] for k in D.params}


def _penalty(D, x, phi, n_x):
    r"""g = ∇ₓD(x); (value, ∂value/∂g) = phi(g[:, :n_x]); grads by ``penalty_grads``."""
    _check_critic(D)
    n_in = D.sizes[0]
    if n_x is None:
        n_x = n_in
    if isinstance(n_x, bool) or not isinstance(n_x, (int, np.integer)) or not 1 <= n_x <= n_in:
        raise ValueError(f"n_x must be an integer in [1, {n_in}] (or None for all columns), "
                         f"got {n_x!r}")
    g, tape = input_grad(D, x)
    value, dg = phi(g[:, :n_x])
    if n_x < n_in:                                  # label columns: not penalised, zero adjoint
        g_bar = np.zeros_like(g)
        g_bar[:, :n_x] = dg
    else:
        g_bar = dg
    return Penalty(value, penalty_grads(D, tape, g_bar))


def _coefficient(c, name):
    c = float(c)
    if not (np.isfinite(c) and c >= 0):
        raise ValueError(f"{name} must be a finite number ≥ 0, got {c}")
    return c


def interpolate(x_real, x_fake, rng):
    r"""x̂ = ε·x + (1 − ε)·x̃ with one ε ~ U[0, 1] per sample (a row, not a coordinate).

    x_real, x_fake: (N, D) -> x̂: (N, D) in x_real's dtype; ε: (N, 1) drawn from rng.
    For a conditional D, pair each real row [x, y] with a fake row [x̃, y] of the same label:
    interpolating whole rows then leaves the one-hot y in place (up to one rounding, for y = 1);
    pass n_x to the penalty so that only the x columns are penalised.
    """
    x_real, x_fake = np.asarray(x_real), np.asarray(x_fake)
    if x_real.shape != x_fake.shape or x_real.ndim != 2:
        raise ValueError(f"x_real and x_fake must have the same shape (N, D), "
                         f"got {x_real.shape} and {x_fake.shape}")
    dt = x_real.dtype if np.issubdtype(x_real.dtype, np.floating) else np.dtype(np.float64)
    eps = rng.uniform(0.0, 1.0, size=(x_real.shape[0], 1)).astype(dt)    # (N, 1)
    return (eps * x_real + (1 - eps) * x_fake).astype(dt, copy=False)


def gradient_penalty(D, x_hat, lam, n_x=None):
    r"""WGAN-GP: P = λ·mean_n (‖g_n‖ − 1)², g_n = ∇ₓD(x̂_n) (Gulrajani et al. 2017, Eq. 3).

    ‖g‖ = √(Σ_j g_j² + EPS), so ∂P/∂g_n = (2λ/N)·(‖g_n‖ − 1)·g_n/‖g_n‖ is finite at g_n = 0
    (where it is exactly 0) instead of 0/0. Bias: ‖g‖ grows by at most √EPS = 1e-6 (at g = 0)
    and by EPS/(2‖g‖) ≈ 5e-13 at ‖g‖ = 1, the target: far below float32's resolution.
    x_hat: (N, D) (see ``interpolate``). Returns ``Penalty``.
    """
    lam = _coefficient(lam, "lam")

    def phi(g):
        N = g.shape[0]
        norm = np.sqrt(np.einsum("nd,nd->n", g, g) + EPS)[:, None]   # (N, 1)
        dev = norm - 1
        value = lam * float(np.mean(dev * dev, dtype=np.float64))
        return value, g * ((2 * lam / N) * dev / norm)

    return _penalty(D, x_hat, phi, n_x)


def _zero_centred(D, x, gamma, n_x):
    r"""(γ/2)·mean_n ‖g_n‖²,   ∂/∂g_n = γ·g_n/N (no square root, so no EPS needed)."""
    gamma = _coefficient(gamma, "gamma")

    def phi(g):
        N = g.shape[0]
        value = 0.5 * gamma * float(np.mean(np.einsum("nd,nd->n", g, g), dtype=np.float64))
        return value, g * (gamma / N)

    return _penalty(D, x, phi, n_x)


def r1(D, x_real, gamma, n_x=None):
    r"""R1 = (γ/2)·E_{p_data}‖∇ₓD(x)‖² on real samples (Mescheder et al. 2018; docs/references.md §6).

    For the Dirac-GAN critic D(x) = ψx this is γψ²/2 with gradient γψ: the −γψ in v_ψ.
    x_real: (N, D). Returns ``Penalty``.
    """
    return _zero_centred(D, x_real, gamma, n_x)


def r2(D, x_fake, gamma, n_x=None):
    r"""R2 = (γ/2)·E_{p_g}‖∇ₓD(x)‖² on generated samples (Mescheder et al. 2018).

    x_fake: (N, D). Returns ``Penalty``.
    """
    return _zero_centred(D, x_fake, gamma, n_x)
