"""The MLP's dx and every parameter gradient against finite differences, for every activation."""
import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

from minigan.gradcheck import grad_close, numeric_grad_array, projection_check, rel_error
from minigan.layers import ACTIVATIONS, Linear
from minigan.mlp import MLP

acts = st.sampled_from(sorted(ACTIVATIONS))


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), act=acts, depth=st.integers(0, 3), width=st.integers(1, 6),
       D=st.integers(1, 3), out=st.integers(1, 3), N=st.integers(1, 5))
def test_mlp_gradients(seed, act, depth, width, D, out, N):
    rng = np.random.default_rng(seed)
    net = MLP([D] + [width] * depth + [out], act, rng=rng)
    for k, p in net.params.items():
        if k.startswith("b"):
            p[...] = 0.1 * rng.standard_normal(p.shape)
    x = rng.standard_normal((N, D))
    dy = rng.standard_normal((N, out))
    y, cache = net.forward(x)
    if act in ("relu", "leaky_relu"):        # finite differences must not straddle a kink
        pre = [lin.forward(cache[2 * i])[0] for i, lin in enumerate(net.linears[:-1])]
        assume(all(np.abs(a).min() > 1e-4 for a in pre))
    dx, grads = net.backward(dy, cache)
    assert set(grads) == set(net.params)
    value = float(np.sum(dy * y))          # a deep sigmoid stack can leave gradients of ~1e-6:
    assert grad_close(dx, numeric_grad_array(lambda: net(x), x, dy), value)      # round-off floor
    for k, p in net.params.items():
        assert grad_close(grads[k], numeric_grad_array(lambda: net(x), p, dy), value), k


@pytest.mark.parametrize("act", sorted(ACTIVATIONS))
def test_projection_check_whole_network(act):
    rng = np.random.default_rng(3)
    net = MLP([2, 16, 16, 3], act, rng=rng)
    x = rng.standard_normal((7, 2))
    vjp = lambda u: net.backward(u, net.forward(x)[1])[0]
    a, n, err = projection_check(net, vjp, x, rng)
    assert err < 1e-7, (a, n)


def test_no_state_between_calls():
    """Two forwards, then the backwards in reverse order: each uses its own cache."""
    rng = np.random.default_rng(0)
    net = MLP([2, 8, 1], "tanh", rng=rng)
    xr, xf = rng.standard_normal((4, 2)), rng.standard_normal((4, 2)) + 3
    dy = np.ones((4, 1))
    _, cr = net.forward(xr)
    _, cf = net.forward(xf)
    g_f = net.backward(dy, cf)[1]
    g_r = net.backward(dy, cr)[1]
    g_r_alone = net.backward(dy, net.forward(xr)[1])[1]
    for k in g_r:
        np.testing.assert_array_equal(g_r[k], g_r_alone[k])
        if k.startswith("W"):                          # the last bias sees only dy
            assert not np.allclose(g_r[k], g_f[k])


def test_partial_backward_paths():
    rng = np.random.default_rng(0)
    net = MLP([2, 8, 8, 1], rng=rng)
    x = rng.standard_normal((5, 2))
    dy = rng.standard_normal((5, 1))
    y, c = net.forward(x)
    dx, grads = net.backward(dy, c)
    dx2, g2 = net.backward(dy, c, need_params=False)
    dx3, g3 = net.backward(dy, c, need_dx=False)
    assert g2 == {} and dx3 is None
    np.testing.assert_array_equal(dx, dx2)
    for k in grads:
        np.testing.assert_array_equal(grads[k], g3[k])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_end_to_end(dtype):
    rng = np.random.default_rng(0)
    net = MLP([2, 8, 1], "softplus", rng=rng, dtype=dtype)
    y, c = net.forward(rng.standard_normal((3, 2)))        # float64 input is cast
    dx, g = net.backward(np.ones_like(y), c)
    assert y.dtype == dtype and dx.dtype == dtype
    assert all(v.dtype == dtype for v in g.values())


def test_params_are_live_and_ordered():
    rng = np.random.default_rng(0)
    net = MLP([2, 4, 4, 1], rng=rng)
    assert list(net.params) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    net.params["b3"] += 1.0
    assert net.linears[-1].params["b"][0] == 1.0
    assert net.n_params() == 2 * 4 + 4 + 4 * 4 + 4 + 4 + 1


def test_params_are_views_of_one_flat_theta_in_order():
    net = MLP([3, 5, 4, 2], rng=np.random.default_rng(0))
    assert net.theta.shape == (net.n_params(),) and net.theta.dtype == net.dtype
    flat = np.concatenate([p.ravel() for p in net.params.values()])
    np.testing.assert_array_equal(net.theta, flat)                  # W1, b1, W2, … in order
    net.theta[:] = np.arange(net.n_params())                        # writing θ writes the layers
    np.testing.assert_array_equal(net.linears[0].params["W"].ravel(), np.arange(15))
    assert net.linears[1].params["b"][0] == 15 + 5 + 20
    # the init is the one drawn per layer: the same weights as before θ existed
    rng = np.random.default_rng(0)
    W1 = Linear(3, 5, rng, "he").params["W"]
    np.testing.assert_array_equal(MLP([3, 5, 4, 2], rng=np.random.default_rng(0)).params["W1"], W1)


def test_wrong_shapes_are_clear_errors():
    net = MLP([2, 4, 1], rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"\(N, 2\), got \(5, 3\)"):
        net.forward(np.zeros((5, 3)))
    with pytest.raises(ValueError, match=r"got \(5,\)"):
        net.forward(np.zeros(5))
    _, c = net.forward(np.zeros((5, 2)))
    with pytest.raises(ValueError, match="dy of shape"):
        net.backward(np.zeros((4, 1)), c)
    with pytest.raises(ValueError, match="activation"):
        MLP([2, 1], "gelu", rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="rng"):
        MLP([2, 1])
    with pytest.raises(ValueError, match="shape"):
        net.load_params({k: np.zeros(3) for k in net.params})
