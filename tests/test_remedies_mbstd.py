"""Minibatch standard deviation (minigan/remedies/mbstd.py): the statistic by hand, its backward
and the whole D's by finite differences, real and fake never mixed, and the refusals."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from minigan.config import ConfigError, TrainConfig
from minigan.gradcheck import numeric_grad, rel_error
from minigan.mlp import MLP
from minigan.remedies.mbstd import EPS, MinibatchStd, minibatch_std_backward, minibatch_std_forward
from minigan.train import Trainer, discriminator_grads

SMALL = dict(hidden=5, depth=2, batch=8, eval_samples=16, dtype="float64", activation="tanh")


def test_statistic_by_hand():
    """One group of 4 rows, 2 features: per-feature std over the group (1/G), mean over features."""
    h = np.array([[0.0, 1.0], [2.0, 1.0], [4.0, 1.0], [6.0, 1.0]])
    out, _ = minibatch_std_forward(h)
    expected = (np.sqrt(5.0 + EPS) + np.sqrt(EPS)) / 2              # std of 0,2,4,6 is √5
    assert out.shape == (4, 3) and np.allclose(out[:, 2], expected, rtol=1e-12)
    assert np.array_equal(out[:, :2], h)


@settings(max_examples=25, deadline=None)
@given(groups=st.integers(1, 3), H=st.integers(1, 5), seed=st.integers(0, 2**31))
def test_backward_matches_finite_differences(groups, H, seed):
    rng = np.random.default_rng(seed)
    h = rng.standard_normal((4 * groups, H))
    dout = rng.standard_normal((4 * groups, H + 1))
    _, cache = minibatch_std_forward(h)
    num = numeric_grad(lambda: np.sum(dout * minibatch_std_forward(h)[0]), h)
    assert rel_error(minibatch_std_backward(dout, cache), num) < 1e-7


@settings(max_examples=10, deadline=None)
@given(layer=st.integers(1, 3), seed=st.integers(0, 2**31))
def test_whole_network_backward_matches_finite_differences(layer, seed):
    """Parameters and input of an MLP 2 → 4 → 4 → 4 → 1 with the minibatch-std layer after ``layer``."""
    rng = np.random.default_rng(seed)
    net = MLP([2, 4, 4, 4, 1], "softplus", rng=rng, extra={layer: MinibatchStd()})
    assert net.linears[layer].params["W"].shape[0] == 5                # one more input after it
    x, dy = rng.standard_normal((8, 2)), rng.standard_normal((8, 1))
    dx, grads = net.backward(dy, net.forward(x)[1])
    f = lambda: np.sum(dy * net(x))
    for k, p in net.params.items():
        assert rel_error(grads[k], numeric_grad(f, p)) < 1e-7, k
    assert rel_error(dx, numeric_grad(f, x)) < 1e-7


def test_real_and_fake_halves_never_mix():
    """In D's step real and fake are stacked in one forward: each output equals that of its half
    run alone (groups of 4 consecutive rows, batch divisible by 4)."""
    t = Trainer(TrainConfig(**SMALL, mbstd_layer=1))
    rng = np.random.default_rng(0)
    real, fake = rng.standard_normal((8, 2)), rng.standard_normal((8, 2)) + 3
    both = t.D(np.concatenate([real, fake]))
    assert np.array_equal(both[:8], t.D(real)) and np.array_equal(both[8:], t.D(fake))
    d = discriminator_grads(t.D.mlp, t.d_loss, real, fake)
    assert np.array_equal(d.logits, both)


@pytest.mark.parametrize("loss, layer", [("nsgan", 1), ("lsgan", 2)])
def test_trainer_gradients_by_finite_differences(loss, layer):
    t = Trainer(TrainConfig(**SMALL, loss=loss, mbstd_layer=layer, pack=2))
    rng = np.random.default_rng(1)
    x_real, z = t.data.sample(8, rng)[0], rng.standard_normal((8, 2))
    x_fake = t.G(z)
    d, g = t.d_grads(x_real, x_fake), t.g_grads(z)
    for k, p in t.D.params.items():
        num = numeric_grad(lambda: t.d_grads(x_real, x_fake)["loss"], p)
        assert rel_error(d["grads"][k], num) < 1e-7, k
    for k, p in t.G.params.items():
        num = numeric_grad(lambda: t.g_grads(z)["loss"], p)
        assert rel_error(g["grads"][k], num) < 1e-7, k


def test_d_at_points_is_d_on_a_group_of_copies():
    t = Trainer(TrainConfig(**SMALL, mbstd_layer=2))
    x = np.array([[0.5, -1.0], [2.0, 0.0], [0.0, 0.0]])
    expected = [t.D(np.repeat(x[i:i + 1], 4, axis=0))[0, 0] for i in range(3)]
    assert t.D.at_points(x)[:, 0].tolist() == expected


@pytest.mark.parametrize("bad, message", [
    (dict(mbstd_layer=3), "^mbstd_layer: must be a hidden layer of D, 1 to 2"),
    (dict(mbstd_layer=-1), "^mbstd_layer: must be an integer ≥ 0"),
    (dict(mbstd_layer=1, batch=10), "^mbstd_layer: D's 10 rows per batch"),
    (dict(mbstd_layer=1, batch=8, pack=4), "^mbstd_layer: D's 2 rows per batch"),
    (dict(mbstd_layer=1, r1=1.0), "^mbstd_layer: the gradient penalties"),
    (dict(mbstd_layer=1, loss="wgan-gp"), "^mbstd_layer: the gradient penalties"),
])
def test_bad_mbstd_is_refused_in_one_line(bad, message):
    with pytest.raises(ConfigError, match=message) as e:
        TrainConfig(**{**SMALL, **bad}).resolved()
    assert "\n" not in str(e.value)
