"""Every remedy's trajectory, bit for bit: the digest of a short run per option set, recorded with
minigan 0.3.1 before the 0.4 refactor, must come out again (tests/fixtures/trajectories.json).

A digest covers G's and D's final parameters and every evaluation row, written by repr. The runs
are tiny (two evaluations) but take every path of an iteration: each loss, penalty, remedy and
update rule, conditional and float64. Floating-point results are only promised on the same NumPy
build, so the check runs where NumPy's version is the recorded one and says why it skips
elsewhere. Record again (after a change that is *meant* to change trajectories, and said so in
CHANGELOG.md) with:  python tests/test_trajectories.py --record
"""
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pytest

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "trajectories.json"
BASE = dict(hidden=16, depth=2, batch=32, eval_samples=64, steps=40)
RUNS = {
    "nsgan": {}, "gan": dict(loss="gan"), "lsgan-grid25": dict(loss="lsgan", data="grid25"),
    "hinge-sgd": dict(loss="hinge", optimizer="sgd", lr_d=0.01, lr_g=0.01),
    "wgan": dict(loss="wgan"), "wgan-gp": dict(loss="wgan-gp", k=2),
    "wgan-gp-tanh": dict(loss="wgan-gp", k=2, activation="tanh", gp=1.0),
    "r1": dict(r1=1.0), "r2-softplus": dict(r2=0.5, activation="softplus"),
    "spectral": dict(spectral_norm=True), "spectral-r1-tanh": dict(spectral_norm=True, r1=1.0, activation="tanh"),
    "pack2": dict(pack=2), "pack4-gp": dict(loss="wgan-gp", pack=4, k=1),
    "mbstd": dict(mbstd_layer=1), "mbstd-pack-sn": dict(mbstd_layer=2, pack=2, spectral_norm=True),
    "simultaneous": dict(update="simultaneous"), "extragradient-sn": dict(update="extragradient", spectral_norm=True),
    "optimistic-wgan": dict(update="optimistic", loss="wgan", k=1),
    "unroll": dict(unroll=2), "unroll-sn-gp": dict(unroll=2, spectral_norm=True, loss="wgan-gp", k=1),
    "conditional": dict(conditional=True), "conditional-gp": dict(conditional=True, loss="wgan-gp", k=1),
    "gauss-f64": dict(data="gauss", dtype="float64", z_dim=1), "schedule": dict(lr_half_life=10),
}


def digest(overrides):
    """sha256 of a 40-step run's final G and D parameters and its two evaluation rows."""
    from minigan.config import TrainConfig
    from minigan.train import Trainer
    t = Trainer(TrainConfig(**{**BASE, **overrides}))
    rows = []
    for i in range(BASE["steps"]):
        t.train_step()
        if (i + 1) % 20 == 0:
            rows.append(t.evaluate())
    h = hashlib.sha256(repr(rows).encode())
    for params in (t.G.params, t.D.params):
        for k in sorted(params):
            h.update(k.encode() + np.ascontiguousarray(params[k]).tobytes())
    return h.hexdigest()


def recorded():
    return json.loads(FIXTURE.read_text())


@pytest.mark.parametrize("name", sorted(RUNS))
def test_trajectory_is_bit_identical_to_the_recorded_one(name):
    rec = recorded()
    if rec["numpy"] != np.__version__:
        pytest.skip(f"recorded with NumPy {rec['numpy']}, this is {np.__version__}: bits may differ")
    assert digest(RUNS[name]) == rec["runs"][name], name


if __name__ == "__main__" and "--record" in sys.argv:
    import minigan
    FIXTURE.write_text(json.dumps({"numpy": np.__version__, "minigan": minigan.__version__,
                                   "runs": {n: digest(o) for n, o in RUNS.items()}}, indent=2) + "\n")
    print(f"recorded {len(RUNS)} digests with minigan {minigan.__version__} in {FIXTURE}")
