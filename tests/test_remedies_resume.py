"""Every remedy resumes bit for bit: N steps in one go = N/2, a checkpoint written to disk and read
into a new Trainer, N/2 more (history rows, weights and the remedies' own state identical); and a
config that names none of them trains exactly as before (tests/test_algorithm1.py: the oracle)."""
import numpy as np
import pytest

from minigan.runs import checkpoint
from minigan.config import TrainConfig
from minigan.train import Trainer

BASE = dict(hidden=8, depth=2, batch=16, eval_samples=64, lr_half_life=3)
OPTIONS = {
    "spectral_norm": dict(spectral_norm=True, loss="wgan-gp", k=2),
    "pack": dict(pack=4, loss="hinge"),
    "mbstd": dict(mbstd_layer=1, spectral_norm=True),
    "simultaneous": dict(update="simultaneous"),
    "extragradient": dict(update="extragradient", spectral_norm=True, dtype="float64"),
    "optimistic": dict(update="optimistic", pack=2),
    "unroll": dict(unroll=2, mbstd_layer=2),
}


def history(trainer, steps, every=2):
    rows = []
    for _ in range(steps):
        trainer.train_step()
        if trainer.step % every == 0:
            rows.append(trainer.evaluate())
    return rows


@pytest.mark.parametrize("name", sorted(OPTIONS))
def test_resume_is_bit_identical(name, tmp_path):
    cfg = TrainConfig(**BASE, **OPTIONS[name])
    whole = Trainer(cfg)
    rows = history(whole, 6)
    first = Trainer(cfg)
    rows_resumed = history(first, 3)
    checkpoint.save(tmp_path / "c.npz", checkpoint.arrays(first))
    second = Trainer(cfg)
    checkpoint.restore(second, checkpoint.load(tmp_path / "c.npz"))
    rows_resumed += history(second, 3)
    assert repr(rows) == repr(rows_resumed)                  # every digit of every row
    a, b = checkpoint.arrays(whole), checkpoint.arrays(second)
    assert a.keys() == b.keys()
    for k in a:
        assert np.array_equal(a[k], b[k]), k


def test_the_remedies_state_is_in_the_checkpoint_only_when_on():
    plain = checkpoint.arrays(Trainer(TrainConfig(**BASE)))
    assert not any(k.startswith(("sn_", "prev_")) for k in plain)
    sn = checkpoint.arrays(Trainer(TrainConfig(**BASE, spectral_norm=True)))
    assert {"sn_u/W1", "sn_v/W3"} <= sn.keys()
    opt = checkpoint.arrays(Trainer(TrainConfig(**BASE, update="optimistic")))
    assert {"prev_d/W1", "prev_g/b3"} <= opt.keys()


def test_defaults_draw_and_build_exactly_what_they_did():
    """A config without the remedies: the same D (an MLP of width dim) and the same first draws
    of the run's generator as a Trainer whose remedies are named and set to off."""
    a = Trainer(TrainConfig(**BASE))
    b = Trainer(TrainConfig(**BASE, spectral_norm=False, pack=1, mbstd_layer=0,
                            update="alternating", unroll=0))
    assert type(a.D.mlp).__name__ == "MLP" and a.D.spectral is None and a.D.mlp.sizes[0] == 2
    assert a.D.pack == a.D.group == 1 and len(a.D.mlp.layers) == 2 * a.D.mlp.sizes.__len__() - 3
    history(a, 2)
    history(b, 2)
    assert a.rng.bit_generator.state == b.rng.bit_generator.state
