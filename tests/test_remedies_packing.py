"""PacGAN packing (minigan/remedies/packing.py): a reshape forward and back, D judging packs, and G's
gradient through the packed D by finite differences."""
import numpy as np
import pytest

from minigan.config import ConfigError, TrainConfig
from minigan.gradcheck import numeric_grad, rel_error
from minigan.remedies.packing import copies, pack, unpack
from minigan.train import Trainer

SMALL = dict(hidden=5, depth=2, batch=12, eval_samples=16, dtype="float64", activation="tanh")


def test_pack_puts_m_consecutive_samples_side_by_side_and_unpack_inverts_it():
    x = np.arange(12.0).reshape(6, 2)
    p = pack(x, 3)
    assert p.shape == (2, 6) and p[1].tolist() == [6, 7, 8, 9, 10, 11]
    assert np.array_equal(unpack(p, 3), x)
    assert pack(x, 1) is not None and np.array_equal(pack(x, 1), x)
    assert copies(np.array([[1.0, 2.0]]), 3).tolist() == [[1, 2, 1, 2, 1, 2]]
    with pytest.raises(ValueError):
        pack(x, 4)


@pytest.mark.parametrize("m, loss", [(2, "nsgan"), (3, "wgan-gp"), (4, "hinge")])
def test_g_gradient_through_packed_d_by_finite_differences(m, loss):
    t = Trainer(TrainConfig(**SMALL, pack=m, loss=loss))
    assert t.D.sizes[0] == 2 * m
    z = np.random.default_rng(1).standard_normal((12, 2))
    g = t.g_grads(z)
    for k, p in t.G.params.items():
        num = numeric_grad(lambda: t.g_grads(z)["loss"], p)
        assert rel_error(g["grads"][k], num) < 1e-7, k


def test_d_gradient_of_packed_d_by_finite_differences():
    t = Trainer(TrainConfig(**SMALL, pack=3, loss="lsgan"))
    rng = np.random.default_rng(2)
    x_real, x_fake = t.data.sample(12, rng)[0], t.G(rng.standard_normal((12, 2)))
    d = t.d_grads(x_real, x_fake)
    assert d["real"] == pytest.approx(float(t.D(x_real).mean()))             # 4 packs, real only
    for k, p in t.D.params.items():
        num = numeric_grad(lambda: t.d_grads(x_real, x_fake)["loss"], p)
        assert rel_error(d["grads"][k], num) < 1e-7, k


def test_d_at_points_is_d_on_a_pack_of_copies():
    t = Trainer(TrainConfig(**SMALL, pack=2))
    x = np.array([[0.5, -1.0], [2.0, 0.0]])
    assert np.array_equal(t.D.at_points(x), t.D.mlp(np.concatenate([x, x], axis=1)))


@pytest.mark.parametrize("bad, message", [
    (dict(pack=0), "^pack: must be an integer ≥ 1"),
    (dict(pack=5, batch=12), "^pack: 5 does not divide --batch 12"),
    (dict(pack=2, conditional=True), "^pack: packing is not defined for --conditional"),
])
def test_bad_pack_is_refused_in_one_line(bad, message):
    with pytest.raises(ConfigError, match=message) as e:
        TrainConfig(**{**SMALL, **bad}).resolved()
    assert "\n" not in str(e.value)
