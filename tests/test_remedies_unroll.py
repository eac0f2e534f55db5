"""First-order unrolled GAN (minigan/remedies/unroll.py): G's gradient is the one through D after K more
D updates, with no term through the unroll, and D itself is left exactly as it was."""
import copy

import numpy as np
import pytest

from minigan.config import ConfigError, TrainConfig
from minigan.train import Trainer

CFG = dict(hidden=6, depth=2, batch=8, eval_samples=16, dtype="float64", unroll=3)


@pytest.mark.parametrize("extra", [dict(), dict(spectral_norm=True, loss="wgan-gp", k=1)])
def test_g_gradient_is_through_d_after_k_more_updates(extra):
    t = Trainer(TrainConfig(**CFG, **extra))
    t.train_step()
    o = copy.deepcopy(t)                                 # same weights, same random state
    before = copy.deepcopy((t.D.params, t.opt_d.state_dict(), t.D.state_arrays()))
    D_K = t.unrolled()                                   # what g_step does first
    g = t.g_grads(*t.g_batch(), D_K)
    # the oracle: K ordinary D steps, then G's gradient through that D on the next noise
    for _ in range(3):
        o.d_step()
    expected = o.g_grads(o.noise(8))
    for k in g["grads"]:
        assert np.array_equal(g["grads"][k], expected["grads"][k]), k
    assert t.rng.bit_generator.state == o.rng.bit_generator.state
    # D, its optimizer and u, v untouched
    after = (t.D.params, t.opt_d.state_dict(), t.D.state_arrays())
    for b, a in zip(before, after):
        for k in b or ():
            assert np.array_equal(b[k], a[k]), k


def test_unroll_zero_is_the_plain_g_step():
    """unroll 0: G's step is its gradient on the next noise through D itself, then the update."""
    t = Trainer(TrainConfig(**{**CFG, "unroll": 0}))
    o = copy.deepcopy(t)
    t.g_step()
    o.opt_g.step(o.g_grads(o.noise(8))["grads"])
    assert t.rng.bit_generator.state == o.rng.bit_generator.state
    for k in t.G.params:
        assert np.array_equal(t.G.params[k], o.G.params[k]), k


def test_negative_unroll_is_refused():
    with pytest.raises(ConfigError, match="^unroll: must be an integer ≥ 0"):
        TrainConfig(unroll=-1).resolved()
