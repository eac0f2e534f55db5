"""Every loss's dlogits against finite differences of the very same loss; finiteness at ±1e4."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from minigan import losses as L
from minigan.gradcheck import grad_close, numeric_grad

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
    # a saturated logit has a gradient of ~1e-6: held to the central difference's round-off floor
    assert grad_close(out.d_real, numeric_grad(lambda: loss(r, f).value, r), out.value)
    assert grad_close(out.d_fake, numeric_grad(lambda: loss(r, f).value, f), out.value)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(1, 8), scale=st.sampled_from([0.1, 1.0, 5.0]),
       i=st.integers(0, len(G_LOSSES) - 1))
def test_g_losses(seed, n, scale, i):
    rng = np.random.default_rng(seed)
    loss = G_LOSSES[i]
    f = logits(rng, n, scale)
    out = loss(f)
    assert grad_close(out.d_fake, numeric_grad(lambda: loss(f).value, f), out.value)


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


# logits up to |t| = 80, exactly representable in float32 (so float64 gets the very same inputs)
T_WIDE = np.concatenate([-np.logspace(-3, np.log10(80), 60)[::-1], [0.0],
                         np.logspace(-3, np.log10(80), 60)]).astype(np.float32).astype(np.float64)[:, None]


@pytest.mark.parametrize("loss", [L.d_gan, L.d_lsgan, L.d_hinge, L.d_wgan])
def test_d_loss_gradients_in_float32_match_float64_up_to_t_80(loss):
    """Entry by entry, float32 gradients are float64's to a few float32 ulps — also where σ(t)
    is 1e-35 (the saturated regime; the tanh form of σ was 96 % off at t = −18 in float32)."""
    for real, fake in ((T_WIDE, T_WIDE[::-1]), (T_WIDE[::-1], T_WIDE)):
        lo, hi = loss(real.astype(np.float32), fake.astype(np.float32)), loss(real, fake)
        for g32, g64 in ((lo.d_real, hi.d_real), (lo.d_fake, hi.d_fake)):
            assert g32.dtype == np.float32
            np.testing.assert_allclose(g32, g64, rtol=4e-7, atol=0)


@pytest.mark.parametrize("loss", [L.g_saturating, L.g_nonsaturating, L.g_lsgan, L.g_wgan])
def test_g_loss_gradients_in_float32_match_float64_up_to_t_80(loss):
    lo, hi = loss(T_WIDE.astype(np.float32)), loss(T_WIDE)
    assert lo.d_fake.dtype == np.float32
    np.testing.assert_allclose(lo.d_fake, hi.d_fake, rtol=4e-7, atol=0)
    assert lo.value == pytest.approx(hi.value, rel=1e-6)


def test_sigmoid_is_accurate_over_the_whole_float_range():
    """float32 σ(a) against float64, and float64 against 1/(1 + e^{−a}) (exact enough in float64
    for |a| ≤ 80), for a from −80 (σ ≈ 1.8e-35) to 80: relative error of a few ulps. (Below
    a ≈ −87 σ is a subnormal float32, which carries fewer significant bits by definition.)"""
    from minigan.layers import sigmoid
    a = np.linspace(-80, 80, 3201).astype(np.float32).astype(np.float64)
    s64, s32 = sigmoid(a), sigmoid(a.astype(np.float32))
    np.testing.assert_allclose(s32, s64, rtol=3e-7, atol=0)
    exact = 1 / (1 + np.exp(-a))                          # float64: fine for |a| ≤ 87
    np.testing.assert_allclose(s64, exact, rtol=1e-15, atol=0)
    assert sigmoid(np.float32(-18)) == pytest.approx(1.522997974e-8, rel=1e-6)
    assert sigmoid(np.array([-1000.0, 1000.0])).tolist() == [0.0, 1.0]
