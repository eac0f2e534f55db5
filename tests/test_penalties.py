"""Gradient penalties (WGAN-GP, R1, R2): every parameter gradient against finite differences of the
penalty's value, for every activation — the curved ones especially, whose f″ terms a popular NumPy
library drops (docs/references.md §8)."""
import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

from minigan import gradcheck
from minigan.gradcheck import numeric_grad, numeric_grad_array, rel_error
from minigan.layers import ACTIVATIONS, ReLU
from minigan.mlp import MLP
from minigan.remedies.penalties import (EPS, Penalty, activation_vjp, gradient_penalty, input_grad,
                               interpolate, linear_vjp, r1, r2)

ACTS = sorted(ACTIVATIONS)
CURVED = [a for a in ACTS if ACTIVATIONS[a].curved]
PENALTIES = {"gp": (gradient_penalty, 10.0), "r1": (r1, 2.0), "r2": (r2, 0.5)}


def critic(rng, act, sizes, dtype=np.float64):
    """An MLP critic with nonzero random biases (so ReLU kinks are not all at x = 0)."""
    D = MLP(sizes, act, rng=rng, dtype=dtype)
    for k, p in D.params.items():
        if k.startswith("b"):
            p[...] = 0.3 * rng.standard_normal(p.shape)
    return D


def near_kink(D, x, tol=1e-4):
    """True if a hidden pre-activation of a piecewise-linear D is within tol of its kink at 0."""
    if D.activations == [] or D.activations[0].curved:
        return False
    h = x
    for lin, act in zip(D.linears, D.activations):
        a, _ = lin.forward(h)
        if np.min(np.abs(a)) < tol:
            return True
        h, _ = act.forward(a)
    return False


def grad_close(analytic, numeric, value, tol=1e-6):
    """gradcheck.grad_close at this file's tolerance (1e-6: penalties are double backprop)."""
    return gradcheck.grad_close(analytic, numeric, value, tol)


def reference_value(name, g, c):
    """The penalty's value from a given input gradient g (N, n_x), written out independently."""
    if name == "gp":
        return c * np.mean((np.sqrt(np.sum(g * g, axis=1) + EPS) - 1) ** 2)
    return 0.5 * c * np.mean(np.sum(g * g, axis=1))


# --- the whole penalty against finite differences, drawn by hypothesis -------------------------

@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), act=st.sampled_from(ACTS), depth=st.integers(0, 3),
       width=st.integers(1, 6), N=st.integers(1, 6), n_x=st.integers(1, 3),
       n_labels=st.integers(0, 2))
def test_penalty_gradients_match_finite_differences(seed, act, depth, width, N, n_x, n_labels):
    rng = np.random.default_rng(seed)
    D = critic(rng, act, [n_x + n_labels] + [width] * depth + [1])
    labels = np.eye(max(n_labels, 1))[rng.integers(0, max(n_labels, 1), N)][:, :n_labels]
    x = np.hstack([rng.standard_normal((N, n_x)), labels])
    assume(not near_kink(D, x))
    cols = n_x if n_labels else None
    g_num = numeric_grad(lambda: D(x).sum(), x)[:, :n_x]        # ∇ₓD on the x columns, numerically
    # ‖g‖ is a cone near g = 0 (rounded off only within √EPS = 1e-6): there a central difference
    # with step h has truncation error ∝ (h/‖g‖)², so the GP's gradient is checked by finite
    # differences only when every ‖g_n‖ ≥ 0.03 (~10% of draws are not); the tip of the cone has
    # its own tests below (zero gradient, dead sample).
    gp_checkable = np.min(np.linalg.norm(g_num, axis=1)) >= 0.03
    for name, (fn, c) in PENALTIES.items():
        P = fn(D, x, c, n_x=cols)
        assert isinstance(P, Penalty) and isinstance(P.value, float)
        assert list(P.grads) == list(D.params)
        assert rel_error(P.value, reference_value(name, g_num, c)) < 1e-6, name
        if name == "gp" and not gp_checkable:
            continue
        for k, p in D.params.items():
            assert P.grads[k].shape == p.shape and P.grads[k].dtype == p.dtype
            num = numeric_grad(lambda: fn(D, x, c, n_x=cols).value, p)
            assert grad_close(P.grads[k], num, P.value), (name, k, rel_error(P.grads[k], num))


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), act=st.sampled_from(ACTS), depth=st.integers(0, 3),
       width=st.integers(1, 6), N=st.integers(1, 6), D_in=st.integers(1, 4))
def test_input_grad_matches_finite_differences(seed, act, depth, width, N, D_in):
    rng = np.random.default_rng(seed)
    D = critic(rng, act, [D_in] + [width] * depth + [1])
    x = rng.standard_normal((N, D_in))
    assume(not near_kink(D, x))
    g, tape = input_grad(D, x)
    assert g.shape == (N, D_in) and len(tape) == len(D.linears)
    # relative error 1e-7 — or, where ∇ₓD is tiny (deep sigmoid stacks reach ~1e-6), the central
    # difference's own round-off floor (grad_close; found by hypothesis: seed 693, sigmoid, depth
    # 3, width 1, where |g| ≈ 4e-6 and the relative error 1.5e-7 is all round-off)
    assert grad_close(g, numeric_grad(lambda: D(x).sum(), x), float(D(x).sum()), tol=1e-7)


def test_each_row_is_its_own_samples_gradient():
    """g_n = ∇ₓD(x_n): the same whether x_n is alone or in a batch."""
    rng = np.random.default_rng(0)
    D = critic(rng, "tanh", [3, 8, 8, 1])
    x = rng.standard_normal((5, 3))
    g, _ = input_grad(D, x)
    for n in range(5):
        np.testing.assert_allclose(g[n], input_grad(D, x[n:n + 1])[0][0], rtol=1e-12)


# --- the per-layer pieces: VJPs of each layer's backward map ----------------------------------

def test_linear_vjp():
    """u = δ·Wᵀ  ⇒  δ̄ = ū·W, W̄ = ūᵀ·δ."""
    rng = np.random.default_rng(0)
    delta, W = rng.standard_normal((4, 3)), rng.standard_normal((5, 3))
    u_bar = rng.standard_normal((4, 5))
    delta_bar, W_bar = linear_vjp(u_bar, delta, W)
    assert rel_error(delta_bar, numeric_grad_array(lambda: delta @ W.T, delta, u_bar)) < 1e-9
    assert rel_error(W_bar, numeric_grad_array(lambda: delta @ W.T, W, u_bar)) < 1e-9


@pytest.mark.parametrize("act_name", ACTS)
def test_activation_vjp(act_name):
    """δ = u ⊙ f′(a)  ⇒  ū = δ̄ ⊙ f′(a), ā = δ̄ ⊙ u ⊙ f″(a) (None where f″ ≡ 0)."""
    rng = np.random.default_rng(1)
    act = ACTIVATIONS[act_name]()
    a = rng.standard_normal((4, 6))
    a += np.where(a >= 0, 0.1, -0.1)                    # away from the kink of ReLU-family f
    u, delta_bar = rng.standard_normal((4, 6)), rng.standard_normal((4, 6))
    backward_map = lambda: u * act.fprime(act.forward(a)[1])
    u_bar, a_bar = activation_vjp(act, delta_bar, u, act.forward(a)[1])
    assert rel_error(u_bar, numeric_grad_array(backward_map, u, delta_bar)) < 1e-9
    a_num = numeric_grad_array(backward_map, a, delta_bar)
    if act.curved:
        assert rel_error(a_bar, a_num) < 1e-8
    else:
        assert a_bar is None and np.all(a_num == 0)


# --- the f″ terms: the peer's bug, and the ReLU fast path -------------------------------------

@pytest.mark.parametrize("act_name", CURVED)
def test_dropping_the_fsecond_terms_is_caught(act_name, monkeypatch):
    """Zero f″ (the peer's pass) and the finite-difference check fails by far more than 1e-3."""
    rng = np.random.default_rng(2)
    D = critic(rng, act_name, [2, 8, 8, 1])
    x = rng.standard_normal((16, 2))
    value = lambda: gradient_penalty(D, x, 10.0).value
    num = {k: numeric_grad(value, p) for k, p in D.params.items()}
    exact = gradient_penalty(D, x, 10.0).grads
    monkeypatch.setattr(ACTIVATIONS[act_name], "fsecond", lambda self, c: np.zeros_like(c))
    dropped = gradient_penalty(D, x, 10.0).grads
    flat = lambda g: np.concatenate([g[k].ravel() for k in D.params])
    assert rel_error(flat(exact), flat(num)) < 1e-7
    assert rel_error(flat(dropped), flat(num)) > 1e-3


def test_relu_never_evaluates_fsecond_and_gives_zero_bias_grads(monkeypatch):
    def boom(self, cache):
        raise AssertionError("f″ ≡ 0 for ReLU: the forward route must be skipped")
    monkeypatch.setattr(ReLU, "fsecond", boom)
    rng = np.random.default_rng(3)
    D = critic(rng, "relu", [2, 16, 16, 1])
    P = gradient_penalty(D, rng.standard_normal((8, 2)), 10.0)
    assert all(np.all(P.grads[k] == 0) for k in D.params if k.startswith("b"))
    assert all(np.any(P.grads[k] != 0) for k in ("W1", "W2", "W3"))


# --- closed forms ------------------------------------------------------------------------------

def test_linear_critic_closed_form():
    """D(x) = x·w + b: g = w for every sample, GP = λ(‖w‖ − 1)², ∂GP/∂w = 2λ(‖w‖ − 1)·w/‖w‖."""
    rng = np.random.default_rng(4)
    D = critic(rng, "tanh", [3, 1])
    w = D.params["W1"][:, 0]
    x = rng.standard_normal((7, 3))
    nw = np.linalg.norm(w)
    P = gradient_penalty(D, x, 10.0)
    np.testing.assert_allclose(P.value, 10 * (nw - 1) ** 2, rtol=1e-10)
    np.testing.assert_allclose(P.grads["W1"][:, 0], 20 * (nw - 1) * w / nw, rtol=1e-10)
    assert np.all(P.grads["b1"] == 0)
    R = r1(D, x, 3.0)
    np.testing.assert_allclose(R.value, 1.5 * nw ** 2, rtol=1e-12)
    np.testing.assert_allclose(R.grads["W1"][:, 0], 3.0 * w, rtol=1e-12)


def test_dirac_gan_r1():
    """Dirac-GAN critic D(x) = ψx (Mescheder et al. 2018, docs/references.md §6): R1 = γψ²/2, ∂/∂ψ = γψ."""
    D = MLP([1, 1], rng=np.random.default_rng(0))
    D.params["W1"][...] = 0.7
    R = r1(D, np.zeros((1, 1)), 0.5)
    np.testing.assert_allclose([R.value, R.grads["W1"][0, 0]], [0.5 * 0.5 * 0.49, 0.5 * 0.7])


# --- zero gradients: no NaN ---------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("act_name", ["relu", "tanh"])
def test_zero_input_gradient_is_finite(act_name, dtype):
    """Last W = 0 ⇒ ∇ₓD = 0: GP = λ(√EPS − 1)² ≈ λ, R1 = 0, every gradient finite (exactly 0)."""
    rng = np.random.default_rng(5)
    D = critic(rng, act_name, [2, 8, 8, 1], dtype)
    D.params["W3"][...] = 0
    x = rng.standard_normal((6, 2))
    assert np.all(input_grad(D, x)[0] == 0)
    P = gradient_penalty(D, x, 10.0)
    np.testing.assert_allclose(P.value, 10.0, rtol=1e-5)
    R = r1(D, x, 10.0)
    assert R.value == 0.0
    for pen in (P, R):
        for k, g in pen.grads.items():
            assert g.dtype == dtype and np.all(np.isfinite(g)) and np.all(g == 0), k


def test_dead_sample_among_live_ones():
    """A sample whose ReLU units are all off has g_n = 0 exactly; the rest still get exact grads."""
    rng = np.random.default_rng(6)
    D = MLP([1, 3, 1], "relu", rng=rng)
    D.params["W1"][...] = [[1.0, 0.5, 2.0]]
    D.params["b1"][...] = 0.1
    x = np.array([[-1.0], [0.7], [1.3]])                 # row 0: every pre-activation < 0
    g, _ = input_grad(D, x)
    assert np.all(g[0] == 0) and np.all(g[1:] != 0)
    P = gradient_penalty(D, x, 10.0)
    for k, p in D.params.items():
        assert np.all(np.isfinite(P.grads[k]))
        num = numeric_grad(lambda: gradient_penalty(D, x, 10.0).value, p)
        assert rel_error(P.grads[k], num) < 1e-7, k


# --- interpolation: one ε per sample ------------------------------------------------------------

def test_interpolate_one_epsilon_per_row():
    rng = np.random.default_rng(7)
    x, xf = rng.standard_normal((50, 3)), rng.standard_normal((50, 3)) + 4
    x_hat = interpolate(x, xf, np.random.default_rng(8))
    np.testing.assert_array_equal(x_hat, interpolate(x, xf, np.random.default_rng(8)))
    eps = (x_hat - xf) / (x - xf)                          # (N, 3): the ε of each coordinate
    np.testing.assert_allclose(eps, eps[:, :1] * np.ones((1, 3)), rtol=1e-9, atol=1e-12)
    assert np.all((eps >= 0) & (eps <= 1))
    assert len(np.unique(np.round(eps[:, 0], 12))) == 50   # rows differ


def test_interpolate_epsilon_is_uniform_and_dtype_kept():
    x, xf = np.ones((20000, 2), np.float32), np.zeros((20000, 2), np.float32)
    x_hat = interpolate(x, xf, np.random.default_rng(9))
    assert x_hat.dtype == np.float32
    eps = x_hat[:, 0].astype(np.float64)                   # x = 1, x̃ = 0 ⇒ x̂ = ε
    assert eps.min() >= 0 and eps.max() <= 1
    assert abs(eps.mean() - 0.5) < 0.01 and abs(eps.std() - 12 ** -0.5) < 0.01
    with pytest.raises(ValueError, match="same shape"):
        interpolate(x, xf[:5], np.random.default_rng(0))


# --- float32 ------------------------------------------------------------------------------------

@pytest.mark.parametrize("act_name", ACTS)
def test_float32_agrees_with_float64(act_name):
    rng = np.random.default_rng(10)
    D32 = critic(rng, act_name, [3, 16, 16, 1], np.float32)
    D64 = MLP(D32.sizes, act_name, rng=rng)
    D64.load_params(D32.params)                            # the very same weights, in float64
    x = rng.standard_normal((32, 3))
    for name, (fn, c) in PENALTIES.items():
        P32, P64 = fn(D32, x, c, n_x=2), fn(D64, x, c, n_x=2)
        assert rel_error(P32.value, P64.value) < 1e-4, name
        for k in D32.params:
            assert P32.grads[k].dtype == np.float32 and np.all(np.isfinite(P32.grads[k]))
            assert rel_error(P32.grads[k], P64.grads[k]) < 1e-4, (name, k)


# --- errors -------------------------------------------------------------------------------------

def test_bad_arguments_are_clear_errors():
    rng = np.random.default_rng(11)
    x = rng.standard_normal((4, 3))
    with pytest.raises(ValueError, match="output width 1"):
        gradient_penalty(MLP([3, 4, 2], rng=rng), x, 10.0)
    D = MLP([3, 4, 1], rng=rng)
    for bad in (0, 4, 1.5, True):
        with pytest.raises(ValueError, match="n_x"):
            r1(D, x, 1.0, n_x=bad)
    with pytest.raises(ValueError, match="lam"):
        gradient_penalty(D, x, -1.0)
    with pytest.raises(ValueError, match="gamma"):
        r2(D, x, float("nan"))
    with pytest.raises(ValueError, match=r"\(N, 3\)"):
        r1(D, x[:, :2], 1.0)
