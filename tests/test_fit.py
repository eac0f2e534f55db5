"""fit's promise (minigan/train.py): what it returns, which steps it evaluates, what a divergence
and an interruption leave behind."""
import os
import signal

import numpy as np
import pytest

from minigan.config import TrainConfig
from minigan.train import Diverged, Trainer, fit

TINY = dict(hidden=8, depth=1, batch=32, eval_samples=100, eval_every=5)


@pytest.fixture(autouse=True)
def ctrl_c_raises():
    """Ctrl-C as in a terminal (a background job may start with SIGINT ignored, which fit keeps)."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


def same_state(a, b):
    sa, sb = a.state(), b.state()
    assert sa["step"] == sb["step"] and sa["window"] == sb["window"] and sa["rng"] == sb["rng"]
    for part in ("G", "D", "opt_g", "opt_d"):
        for k in sa[part]:
            assert np.array_equal(sa[part][k], sb[part][k]), (part, k)


def test_rows_at_the_grid_the_start_and_the_last_step():
    t = Trainer(TrainConfig(**TINY))
    seen = []
    rows = fit(t, 12, on_eval=seen.append)
    assert [r["step"] for r in rows] == [0, 5, 10, 12] and seen == rows and t.step == 12
    assert [r["step"] for r in fit(t, 3)] == [15]                 # not fresh: no row at the start
    assert [r["step"] for r in fit(t, 0)] == []


def test_a_final_row_off_the_grid_changes_no_later_row():
    """12 + 8 steps give the grid rows of 20 straight steps (the row at 12 averages 11–12 but
    leaves the sums running), and the same weights."""
    a, b = Trainer(TrainConfig(**TINY)), Trainer(TrainConfig(**TINY))
    straight = fit(a, 20)
    split = fit(b, 12) + fit(b, 8)
    assert [r for r in split if r["step"] != 12] == straight
    same_state(a, b)


def test_divergence_puts_the_trainer_back_at_its_last_evaluation():
    t, ref = Trainer(TrainConfig(**TINY)), Trainer(TrainConfig(**TINY))
    fit(ref, 10)
    real_step = Trainer.train_step

    def poisoned(self):
        if self.step == 13:
            self.D.params["W1"][...] = np.nan
        real_step(self)

    t.train_step = poisoned.__get__(t)
    with pytest.raises(Diverged), np.errstate(invalid="ignore", over="ignore"):
        fit(t, 20)
    assert t.step == 10
    same_state(t, ref)


def signal_during(t, step, times=1):
    """Send SIGINT to this process inside the D update of iteration `step` (mid-step)."""
    real_d_step, sent = Trainer.d_step, []

    def d_step(self):
        if self.step == step and len(sent) < times:
            for _ in range(times):
                sent.append(os.kill(os.getpid(), signal.SIGINT))
        return real_d_step(self)

    t.d_step = d_step.__get__(t)


def test_ctrl_c_mid_step_stops_at_the_step_boundary():
    t, ref = Trainer(TrainConfig(**TINY)), Trainer(TrainConfig(**TINY))
    signal_during(t, 7)
    with pytest.raises(KeyboardInterrupt):
        fit(t, 20)
    assert t.step == 8                                   # the step in progress was finished
    fit(ref, 8)
    same_state(t, ref)
    del t.d_step                                         # and it continues as if uninterrupted
    a, b = fit(t, 12), Trainer(TrainConfig(**TINY))
    assert a[-1] == fit(b, 20)[-1]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler     # put back


def test_a_second_ctrl_c_stops_at_once_at_the_last_evaluation():
    t, ref = Trainer(TrainConfig(**TINY)), Trainer(TrainConfig(**TINY))
    signal_during(t, 7, times=2)
    with pytest.raises(KeyboardInterrupt):
        fit(t, 20)
    fit(ref, 5)
    assert t.step == 5
    same_state(t, ref)
