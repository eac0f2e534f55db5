"""Every layer's dx and parameter gradients against central differences (float64)."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from minigan.gradcheck import numeric_grad_array, rel_error
from minigan.layers import ACTIVATIONS, Linear, Sigmoid, Softplus, Tanh

TOL = 1e-7
seeds = st.integers(0, 2**31 - 1)


@settings(max_examples=25, deadline=None)
@given(seed=seeds, N=st.integers(1, 6), D=st.integers(1, 5), H=st.integers(1, 5),
       init=st.sampled_from(["he", "glorot"]))
def test_linear_gradients(seed, N, D, H, init):
    rng = np.random.default_rng(seed)
    lin = Linear(D, H, rng, init)
    lin.params["b"][...] = rng.standard_normal(H)       # non-zero bias, so db is exercised
    x = rng.standard_normal((N, D))
    dout = rng.standard_normal((N, H))
    out, cache = lin.forward(x)
    dx, grads = lin.backward(dout, cache)
    assert rel_error(dx, numeric_grad_array(lambda: lin.forward(x)[0], x, dout)) < TOL
    for k in ("W", "b"):
        num = numeric_grad_array(lambda: lin.forward(x)[0], lin.params[k], dout)
        assert rel_error(grads[k], num) < TOL, k


def make_act(name):
    return ACTIVATIONS[name](0.1) if name == "leaky_relu" else ACTIVATIONS[name]()


@settings(max_examples=20, deadline=None)
@given(seed=seeds, name=st.sampled_from(sorted(ACTIVATIONS)), N=st.integers(1, 6), H=st.integers(1, 6))
def test_activation_gradients(seed, name, N, H):
    rng = np.random.default_rng(seed)
    act = make_act(name)
    a = rng.standard_normal((N, H)) * 2
    a[np.abs(a) < 1e-3] = 0.5                            # keep clear of the ReLU kink
    dout = rng.standard_normal((N, H))
    _, cache = act.forward(a)
    da, grads = act.backward(dout, cache)
    assert grads == {}
    assert rel_error(da, numeric_grad_array(lambda: act.forward(a)[0], a, dout)) < TOL


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_fprime_fsecond(name):
    """f′ and f″ (used by the gradient penalty) against differences of f and of f′."""
    rng = np.random.default_rng(0)
    act = make_act(name)
    a = rng.standard_normal((4, 5)) * 2
    a[np.abs(a) < 1e-3] = 0.5
    _, cache = act.forward(a)
    h = 1e-5
    f = lambda t: act.forward(t)[0]
    fp = lambda t: act.fprime(act.forward(t)[1])
    assert rel_error(act.fprime(cache), (f(a + h) - f(a - h)) / (2 * h)) < TOL
    assert rel_error(act.fsecond(cache), (fp(a + h) - fp(a - h)) / (2 * h)) < 1e-6
    assert act.curved == bool(np.any(act.fsecond(cache) != 0))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_dtype_is_kept(dtype, name):
    rng = np.random.default_rng(1)
    lin = Linear(3, 4, rng, dtype=dtype)
    act = make_act(name)
    x = rng.standard_normal((5, 3)).astype(dtype)
    a, c1 = lin.forward(x)
    h, c2 = act.forward(a)
    da, _ = act.backward(np.ones_like(h), c2)
    dx, g = lin.backward(da, c1)
    for arr in (a, h, da, dx, g["W"], g["b"], act.fprime(c2), act.fsecond(c2)):
        assert arr.dtype == dtype


def test_saturating_activations_are_finite():
    a = np.array([[-1e4, -50.0, 0.0, 50.0, 1e4]], dtype=np.float32)
    for act in (Tanh(), Sigmoid(), Softplus()):
        h, c = act.forward(a)
        assert np.all(np.isfinite(h)) and np.all(np.isfinite(act.fprime(c)))
        assert np.all(np.isfinite(act.fsecond(c)))


def test_bad_arguments():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="init"):
        Linear(2, 3, rng, init="xavier")
    with pytest.raises(ValueError, match="dtype"):
        Linear(2, 3, rng, dtype=np.int32)
    with pytest.raises(ValueError, match="slope"):
        ACTIVATIONS["leaky_relu"](1.5)


def test_init_scales():
    """He: std √(2/D); Glorot: std √(2/(D+H)); biases zero (WGAN-GP toy code)."""
    rng = np.random.default_rng(0)
    he, gl = Linear(400, 300, rng, "he"), Linear(400, 300, rng, "glorot")
    assert abs(he.params["W"].std() / np.sqrt(2 / 400) - 1) < 0.02
    assert abs(gl.params["W"].std() / np.sqrt(2 / 700) - 1) < 0.02
    assert not he.params["b"].any()


@settings(max_examples=30, deadline=None)
@given(seed=seeds, dtype=st.sampled_from(["float32", "float64"]))
def test_relu_forward_is_exactly_max_a_0(seed, dtype):
    """ReLU is max(a, 0) exactly, up to the largest finite float (no overflow at the edge)."""
    rng = np.random.default_rng(seed)
    a = (rng.standard_normal((7, 5)) * 10.0 ** rng.integers(-6, 7)).astype(dtype)
    big = np.finfo(dtype).max
    a[0, :5] = [0.0, -1e-30, big, -big, big / 2 * 1.5]
    h, cache = ACTIVATIONS["relu"]().forward(a)
    np.testing.assert_array_equal(h, np.where(a > 0, a, 0))
    assert h.dtype == a.dtype and np.isfinite(h).all()
    np.testing.assert_array_equal(ACTIVATIONS["relu"]().fprime(cache), (a > 0).astype(dtype))
