"""Every loss's dlogits against finite differences of the very same loss; finiteness at ±1e4."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from minigan import losses as L
from minigan.gradcheck import numeric_grad, rel_error

D_LOSSES = [L.d_gan, L.d_wgan, L.d_lsgan, L.d_hinge]
G_LOSSES = [L.g_saturating, L.g_nonsaturating, L.g_wgan, L.g_lsgan, L.g_hinge]


def logits(rng, n, scale):
    t = rng.standard_normal((n, 1)) * scale
    t[np.abs(np.abs(t) - 1) < 1e-3] += 0.01                # hinge kinks at ±1
    return t


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), nr=st.integers(1, 8), nf=st.integers(1, 8),
       scale=st.sampled_from([0.1, 1.0, 5.0]), i=st.integers(0, len(D_LOSSES) - 1))
def test_d_losses(seed, nr, nf, scale, i):
    rng = np.random.default_rng(seed)
    loss = D_LOSSES[i]
    r, f = logits(rng, nr, scale), logits(rng, nf, scale)
    out = loss(r, f)
    assert out.d_real.shape == r.shape and out.d_fake.shape == f.shape
    assert rel_error(out.d_real, numeric_grad(lambda: loss(r, f).value, r)) < 1e-7
    assert rel_error(out.d_fake, numeric_grad(lambda: loss(r, f).value, f)) < 1e-7


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(1, 8), scale=st.sampled_from([0.1, 1.0, 5.0]),
       i=st.integers(0, len(G_LOSSES) - 1))
def test_g_losses(seed, n, scale, i):
    rng = np.random.default_rng(seed)
    loss = G_LOSSES[i]
    f = logits(rng, n, scale)
    out = loss(f)
    assert rel_error(out.d_fake, numeric_grad(lambda: loss(f).value, f)) < 1e-7


def test_values_by_hand():
    z = np.zeros((2, 1))
    assert L.d_gan(z, z).value == pytest.approx(2 * np.log(2))        # −V at D = 1/2 is log 4
    assert L.g_saturating(z).value == pytest.approx(-np.log(2))
    assert L.g_nonsaturating(z).value == pytest.approx(np.log(2))
    r, f = np.array([[3.0], [1.0]]), np.array([[-1.0], [0.0]])
    assert L.d_wgan(r, f).value == pytest.approx(-0.5 - 2.0)
    assert L.d_hinge(r, f).value == pytest.approx(0 + 0.5 * (0 + 1))
    assert L.d_lsgan(r, f).value == pytest.approx(0.5 * (4 + 0) / 2 + 0.5 * (1 + 0) / 2)


def test_saturation_and_its_fix():
    """D confident that fakes are fake (t ≪ 0): the saturating gradient vanishes, the NS one does not."""
    f = np.full((4, 1), -10.0)
    assert np.abs(L.g_saturating(f).d_fake).max() < 2e-5   # σ(−10)/4 ≈ 1.1e-5
    assert np.abs(L.g_nonsaturating(f).d_fake).min() > 0.24


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_extreme_logits_are_finite(dtype):
    t = np.array([[-1e4], [-100.0], [0.0], [100.0], [1e4]], dtype=dtype)
    for loss in D_LOSSES:
        out = loss(t, t)
        assert np.isfinite(out.value)
        for g in (out.d_real, out.d_fake):
            assert np.all(np.isfinite(g)) and g.dtype == dtype
    for loss in G_LOSSES:
        out = loss(t)
        assert np.isfinite(out.value) and np.all(np.isfinite(out.d_fake))
        assert out.d_fake.dtype == dtype
    assert L.d_gan(t, t).value == pytest.approx((1e4 + 100 + 2 * np.log(2) + 100 + 1e4) / 5, rel=1e-6)


def test_named_fields_not_a_tuple():
    out = L.d_gan(np.zeros((1, 1)), np.zeros((1, 1)))
    with pytest.raises(TypeError):
        _a, _b, _c = out
