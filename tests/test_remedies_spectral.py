"""Spectral normalisation (minigan/remedies/spectral.py): the gradient through σ̂ = uᵀWv with u, v frozen,
σ̂ against the SVD once the power iteration has converged, the penalties' double backprop
through W/σ̂, and when the iteration advances. (Resume: tests/test_remedies_resume.py.)"""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from minigan.config import ConfigError, TrainConfig
from minigan.gradcheck import numeric_grad, rel_error
from minigan.remedies.spectral import normalize_backward, normalize_forward, power_iteration
from minigan.train import Trainer

SMALL = dict(hidden=5, depth=2, batch=8, eval_samples=16, dtype="float64", spectral_norm=True)


def unit(rng, n):
    u = rng.standard_normal(n)
    return u / np.linalg.norm(u)


@settings(max_examples=25, deadline=None)
@given(D=st.integers(1, 6), H=st.integers(1, 6), seed=st.integers(0, 2**31))
def test_normalize_backward_matches_finite_differences(D, H, seed):
    """L = ⟨R, W/(uᵀWv)⟩ with u, v frozen: ∂L/∂W = (1/σ̂)(R − ⟨R, W̄⟩uvᵀ), to ~1e-9."""
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((D, H))
    u, v = power_iteration(W, unit(rng, D))      # σ̂ = ‖Wv‖ > 0, away from W/σ̂'s pole at σ̂ = 0
    R = rng.standard_normal((D, H))
    _, cache = normalize_forward(W, u, v)
    analytic = normalize_backward(R, cache)
    numeric = numeric_grad(lambda: np.sum(R * normalize_forward(W, u, v)[0]), W)
    assert rel_error(analytic, numeric) < 1e-8


@pytest.mark.parametrize("shape", [(2, 7), (7, 7), (9, 1)])
def test_converged_sigma_is_the_largest_singular_value(shape):
    rng = np.random.default_rng(0)
    W = rng.standard_normal(shape)
    u = unit(rng, shape[0])
    for _ in range(500):
        u, v = power_iteration(W, u)
    W_bar, cache = normalize_forward(W, u, v)
    sigma = cache[3]
    assert sigma == pytest.approx(np.linalg.svd(W, compute_uv=False)[0], rel=1e-10)
    assert np.linalg.svd(W_bar, compute_uv=False)[0] == pytest.approx(1.0, rel=1e-10)


@pytest.mark.parametrize("cfg", [
    dict(loss="wgan-gp", gp=1.0, activation="softplus"),     # curved: the f″ route as well
    dict(loss="nsgan", r1=2.0, activation="tanh"),
    dict(loss="lsgan", r2=1.0, pack=2),                      # packed, ReLU
])
def test_d_gradient_with_penalties_through_normalised_weights(cfg):
    """The whole D loss + penalty, differentiated w.r.t. D's raw W and b by finite differences
    (u, v frozen: d_grads never advances the iteration; the ε of the interpolates replayed)."""
    t = Trainer(TrainConfig(**{**SMALL, **cfg}))
    t.D.spectral.power_iteration(t.D)
    rng = np.random.default_rng(1)
    x_real = t.data.sample(8, rng)[0]
    x_fake = t.G(rng.standard_normal((8, 2)))
    state = t.rng.bit_generator.state

    def value():
        t.rng.bit_generator.state = state
        return t.d_grads(x_real, x_fake)["loss"]

    t.rng.bit_generator.state = state
    grads = t.d_grads(x_real, x_fake)["grads"]
    for k, p in t.D.params.items():
        num = numeric_grad(value, p)
        assert rel_error(grads[k], num) < 1e-6 or np.abs(grads[k] - num).max() < 1e-9, k


def test_g_gradient_through_normalised_d():
    t = Trainer(TrainConfig(**SMALL, activation="tanh"))
    z = np.random.default_rng(2).standard_normal((8, 2))
    g = t.g_grads(z)
    for k, p in t.G.params.items():
        assert rel_error(g["grads"][k], numeric_grad(lambda: t.g_grads(z)["loss"], p)) < 1e-7, k


def test_one_power_iteration_per_d_update_and_none_elsewhere():
    """k = 3: u moves 3 times per iteration (each D update); the G step, evaluate() and
    D.at_points leave u, v as they are and D's used weights have σ̂ = 1 at the stored u, v."""
    t = Trainer(TrainConfig(**SMALL, k=3, lr_d=1e-12))     # D barely moves: u follows W alone
    calls = []
    original = t.D.spectral.power_iteration
    t.D.spectral.power_iteration = lambda D: (calls.append(1), original(D))
    t.train_step()
    assert len(calls) == 3
    u = {k: v.copy() for k, v in t.D.spectral.u.items()}
    t.g_grads(t.noise(8))
    t.evaluate()
    t.D.at_points(np.zeros((3, 2)))
    assert len(calls) == 3 and all(np.array_equal(u[k], t.D.spectral.u[k]) for k in u)
    net, _ = t.D.network()
    for k in t.D.spectral.names:
        assert float(t.D.spectral.u[k] @ net.params[k] @ t.D.spectral.v[k]) == pytest.approx(1.0)


def test_off_by_default_and_refused_with_clipping():
    assert TrainConfig().spectral_norm is False
    with pytest.raises(ConfigError, match="^spectral_norm: weight clipping"):
        TrainConfig(loss="wgan", spectral_norm=True).resolved()
    TrainConfig(loss="wgan", spectral_norm=True, clip=0.0).resolved()
