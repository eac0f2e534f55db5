"""Update rules (minigan/remedies/updates.py): their dynamics on the linearised Dirac-GAN, through the very
functions the Trainer calls, and the Trainer's wiring of them checked against the formulas."""
import copy

import numpy as np
import pytest

from minigan.config import ConfigError, TrainConfig
from minigan.optim import SGD
from minigan.train import Trainer
from minigan.remedies.updates import JOINT, Player

# --- the linearised Dirac-GAN (docs/references.md §6): f′(0) = ½, so G descends ψθ/2 in θ and D
# descends −ψθ/2 in ψ; the field v = (−ψ/2, θ/2) has Jacobian eigenvalues ±i/2 ----------------


def dirac(theta, psi, eta):
    """Two players with plain SGD at rate η, and the field's gradients at their current point."""
    D, G = {"psi": np.array([psi])}, {"theta": np.array([theta])}
    players = [Player(SGD(D, lr=eta)), Player(SGD(G, lr=eta))]

    def grads_at():
        return [{"grads": {"psi": -G["theta"] / 2}}, {"grads": {"theta": D["psi"] / 2}}]

    return players, grads_at, lambda: float(np.hypot(G["theta"][0], D["psi"][0]))


@pytest.mark.parametrize("eta", [0.01, 0.3, 1.0, 1.9])
def test_one_step_scales_the_distance_as_the_linear_analysis_says(eta):
    a = eta / 2
    expected = {"simultaneous": np.sqrt(1 + a**2), "extragradient": np.sqrt(1 - a**2 + a**4)}
    for rule, factor in expected.items():
        players, grads_at, dist = dirac(0.8, -0.6, eta)           # distance 1
        JOINT[rule](players, grads_at)
        assert dist() == pytest.approx(factor, rel=1e-12), rule


def test_over_many_steps_simultaneous_spirals_out_and_the_others_in():
    final = {}
    for rule in JOINT:
        players, grads_at, dist = dirac(0.8, -0.6, 0.2)
        for _ in range(300):
            JOINT[rule](players, grads_at)
        final[rule] = dist()
    assert final["simultaneous"] == pytest.approx((1 + 0.01) ** 150, rel=1e-9)
    assert final["extragradient"] == pytest.approx((1 - 0.01 + 1e-4) ** 150, rel=1e-9)
    assert final["optimistic"] < 0.5                  # optimism converges on bilinear games


# --- the Trainer's wiring: one iteration against the formulas, with SGD (Δ = η·g) -------------

CFG = dict(hidden=6, depth=2, batch=8, eval_samples=16, dtype="float64", optimizer="sgd",
           momentum=0.0, lr_d=0.05, lr_g=0.03, lr_half_life=0, k=1)


def grads_at_point(t):
    """Both players' gradients at t's current weights, drawing what the Trainer draws."""
    return t.d_grads(*t.d_batch())["grads"], t.g_grads(*t.g_batch())["grads"]


def stepped(net, grads, lr, scale=1.0):
    return {k: p - lr * scale * grads[k] for k, p in net.params.items()}


@pytest.mark.parametrize("rule", ["simultaneous", "extragradient", "optimistic"])
def test_trainer_takes_the_rules_step(rule):
    t = Trainer(TrainConfig(**CFG, update=rule))
    o = copy.deepcopy(t)                        # the oracle: same weights, same random state
    expect = []
    for _ in range(2):
        gd, gg = grads_at_point(o)
        if rule == "extragradient":             # look ahead, then step from θ_t
            start = copy.deepcopy((o.D.params, o.G.params))
            o.D.mlp.load_params(stepped(o.D, gd, 0.05))
            o.G.load_params(stepped(o.G, gg, 0.03))
            gd, gg = grads_at_point(o)
            o.D.mlp.load_params(start[0])
            o.G.load_params(start[1])
        if rule == "optimistic":                # 2g_t − g_{t−1}, g_0 = 0
            prev = expect[-1] if expect else ({k: 0 * v for k, v in gd.items()},
                                              {k: 0 * v for k, v in gg.items()})
            new_d = {k: o.D.params[k] - 0.05 * (2 * gd[k] - prev[0][k]) for k in gd}
            new_g = {k: o.G.params[k] - 0.03 * (2 * gg[k] - prev[1][k]) for k in gg}
        else:
            new_d, new_g = stepped(o.D, gd, 0.05), stepped(o.G, gg, 0.03)
        expect.append((gd, gg))
        o.D.mlp.load_params(new_d)
        o.G.load_params(new_g)
        t.train_step()
        for mine, theirs in ((t.D, o.D), (t.G, o.G)):
            for k, p in mine.params.items():
                assert np.allclose(p, theirs.params[k], rtol=0, atol=1e-13), (rule, k)
        assert t.rng.bit_generator.state == o.rng.bit_generator.state


def test_extragradient_look_ahead_does_not_commit_adams_state():
    t = Trainer(TrainConfig(**{**CFG, "optimizer": "adam"}, update="extragradient"))
    t.train_step()
    t.train_step()
    assert t.opt_d.t == 2 and t.opt_g.t == 2


def test_alternating_is_the_default():
    assert TrainConfig().update == "alternating"


@pytest.mark.parametrize("bad, message", [
    (dict(update="sideways"), "^update: 'sideways' is not one of alternating, simultaneous"),
    (dict(update="extragradient", k=2), "^k: --update extragradient takes one step"),
    (dict(update="optimistic", loss="wgan-gp"), "^k: --update optimistic takes one step"),
    (dict(update="simultaneous", unroll=2, k=1), "^unroll: unrolling is defined for --update alternating"),
])
def test_bad_update_is_refused_in_one_line(bad, message):
    with pytest.raises(ConfigError, match=message) as e:
        TrainConfig(**bad).resolved()
    assert "\n" not in str(e.value)


@pytest.mark.parametrize("rule", ["simultaneous", "extragradient", "optimistic"])
def test_wgan_clipping_follows_every_joint_step(rule):
    """WGAN's clip is D's projection under the joint rules too: after an iteration every weight of
    D is in [−c, c] (a large lr pushes them far past it otherwise)."""
    t = Trainer(TrainConfig(loss="wgan", update=rule, k=1, hidden=8, depth=1, batch=16,
                            eval_samples=50, lr_d=0.5, lr_g=0.5, optimizer="sgd"))
    for _ in range(3):
        t.train_step()
    assert max(np.abs(p).max() for p in t.D.params.values()) <= t.cfg.clip
