"""Optimizers against closed-form step sequences computed by hand (PyTorch's update rules)."""
import numpy as np
import pytest

from minigan.mlp import MLP
from minigan.optim import SGD, Adam, RMSProp, clip_weights, global_norm

G = [np.array([1.0, -2.0]), np.array([0.5, 0.5]), np.array([-1.0, 3.0])]


def run(opt_cls, **kw):
    p = {"w": np.array([1.0, 2.0])}
    opt = opt_cls(p, **kw)
    traj = []
    for g in G:
        opt.step({"w": g.copy()})
        traj.append(p["w"].copy())
    return traj


def test_sgd_plain():
    w, lr = np.array([1.0, 2.0]), 0.1
    for g, got in zip(G, run(SGD, lr=lr)):
        w = w - lr * g
        np.testing.assert_allclose(got, w, rtol=0, atol=1e-12)


@pytest.mark.parametrize("nesterov", [False, True])
def test_sgd_momentum(nesterov):
    w, lr, mu, b = np.array([1.0, 2.0]), 0.1, 0.9, None
    for g, got in zip(G, run(SGD, lr=lr, momentum=mu, nesterov=nesterov)):
        b = g if b is None else mu * b + g
        w = w - lr * (g + mu * b if nesterov else b)
        np.testing.assert_allclose(got, w, rtol=0, atol=1e-12)


def test_rmsprop():
    w, lr, a, eps, v = np.array([1.0, 2.0]), 0.01, 0.99, 1e-8, np.zeros(2)
    for g, got in zip(G, run(RMSProp, lr=lr)):
        v = a * v + (1 - a) * g ** 2
        w = w - lr * g / (np.sqrt(v) + eps)
        np.testing.assert_allclose(got, w, rtol=0, atol=1e-12)


def test_adam():
    w, lr, b1, b2, eps = np.array([1.0, 2.0]), 1e-3, 0.5, 0.9, 1e-8
    m = v = np.zeros(2)
    for t, (g, got) in enumerate(zip(G, run(Adam, lr=lr, betas=(b1, b2))), start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g ** 2
        w = w - lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
        np.testing.assert_allclose(got, w, rtol=0, atol=1e-12)


def test_adam_first_step_is_lr_times_sign():
    """With bias correction the first Adam step is ≈ lr·sign(g) whatever the scale of g."""
    p = {"w": np.zeros(3)}
    Adam(p, lr=0.1).step({"w": np.array([1e-3, -5.0, 200.0])})
    np.testing.assert_allclose(p["w"], [-0.1, 0.1, -0.1], rtol=1e-4)


def test_state_roundtrip_gives_same_trajectory():
    p1 = {"w": np.array([1.0, 2.0])}
    o1 = Adam(p1, lr=0.01)
    o1.step({"w": G[0]})
    p2 = {"w": p1["w"].copy()}
    o2 = Adam(p2, lr=0.01)
    o2.load_state_dict({k: v.copy() for k, v in o1.state_dict().items()})
    for g in G[1:]:
        o1.step({"w": g})
        o2.step({"w": g})
    np.testing.assert_array_equal(p1["w"], p2["w"])


def test_float32_stays_float32():
    p = {"w": np.ones(3, dtype=np.float32)}
    for cls in (SGD, RMSProp, Adam):
        cls(p, lr=0.1).step({"w": np.ones(3, dtype=np.float32)})
        assert p["w"].dtype == np.float32


def test_clip_in_place():
    p = {"W": np.array([[-1.0, 0.005], [0.02, 0.0]])}
    arr = p["W"]
    clip_weights(p, 0.01)
    assert p["W"] is arr
    np.testing.assert_array_equal(arr, [[-0.01, 0.005], [0.01, 0.0]])


def test_bad_hyperparameters():
    p = {"w": np.zeros(1)}
    with pytest.raises(ValueError, match="learning rate"):
        Adam(p, lr=0)
    with pytest.raises(ValueError, match="betas"):
        Adam(p, betas=(1.0, 0.9))
    with pytest.raises(ValueError, match="momentum"):
        SGD(p, momentum=1.0)


@pytest.mark.parametrize("make", [lambda p: SGD(p, lr=0.1), lambda p: SGD(p, lr=0.1, momentum=0.9),
                                  lambda p: SGD(p, lr=0.1, momentum=0.9, nesterov=True),
                                  lambda p: RMSProp(p, lr=0.01), lambda p: Adam(p, lr=0.01)])
def test_a_step_updates_the_network_in_place(make):
    """The optimizer writes into the MLP's own arrays (views of θ), never rebinding them: after
    every step θ is the parameters laid end to end, and equals the same steps on loose copies."""
    rng = np.random.default_rng(0)
    net = MLP([2, 5, 3, 1], rng=rng)
    loose = {k: v.copy() for k, v in net.params.items()}
    o_net, o_loose = make(net.params), make(loose)
    for _ in range(4):
        grads = {k: rng.standard_normal(v.shape) for k, v in loose.items()}
        o_net.step(grads)
        o_loose.step(grads)
        np.testing.assert_array_equal(net.theta, np.concatenate([p.ravel() for p in loose.values()]))
        assert all(net.params[k] is lin.params[w] for lin, (k, w) in
                   zip([l for l in net.linears for _ in "Wb"],
                       [(f"{w}{i}", w) for i in range(1, 4) for w in "Wb"]))


def test_global_norm():
    assert global_norm({"a": np.array([3.0]), "b": np.array([[4.0]])}) == 5.0


def test_step_needs_every_gradient():
    p = {"w": np.zeros(2), "b": np.zeros(1)}
    with pytest.raises(ValueError, match="every parameter"):
        Adam(p).step({"w": np.ones(2)})


def test_state_dict_of_an_mlp_is_keyed_by_parameter():
    net = MLP([2, 3, 1], rng=np.random.default_rng(0))
    opt = Adam(net.params, lr=0.01)
    opt.step({k: np.ones_like(v) for k, v in net.params.items()})
    sd = opt.state_dict()
    assert set(sd) == {"t"} | {f"{s}/{k}" for s in ("m", "v") for k in net.params}
    assert sd["m/W1"].shape == (2, 3)
    np.testing.assert_allclose(sd["m/b2"], [0.1])            # (1 − β₁)·g with g = 1
    fresh = Adam(MLP([2, 3, 1], rng=np.random.default_rng(0)).params, lr=0.01)
    fresh.load_state_dict({k: v.copy() for k, v in sd.items()})
    assert fresh.t == 1
    for k in net.params:
        np.testing.assert_array_equal(fresh.state["v"][k], opt.state["v"][k])


def test_clip_an_mlp_theta_in_place():
    net = MLP([2, 4, 1], rng=np.random.default_rng(0))
    net.theta *= 100
    clip_weights(net.params, 0.01)
    assert np.abs(net.theta).max() == pytest.approx(0.01)
