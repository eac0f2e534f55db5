"""The capacity study's instability figures (minigan/studies/phase.py), on histories with known answers."""
import numpy as np

from minigan.studies.phase import instability


def test_a_settled_run_has_no_crash_and_its_spread_is_its_noise():
    step = np.arange(0, 10001, 50)
    hq = 90 + np.where(np.arange(len(step)) % 2, 1.0, -1.0)         # ±1 point around 90
    spread, crashes = instability(step, hq)
    assert crashes == 0 and abs(spread - 1.0) < 0.02


def test_a_crash_lasting_several_evaluations_counts_once_and_early_ones_not_at_all():
    step = np.arange(0, 10001, 50)
    hq = np.full(len(step), 90.0)
    hq[(step >= 6000) & (step <= 6200)] = 40.0       # one crash of 5 evaluations, second half
    hq[(step >= 8000) & (step <= 8000)] = 69.0        # 21 points down: a second crash
    hq[(step >= 9000) & (step <= 9000)] = 71.0        # 19 points down: not a crash
    hq[(step >= 2000) & (step <= 2100)] = 10.0        # first half: not counted
    spread, crashes = instability(step, hq)
    assert crashes == 2
    last = hq[step >= 7500]
    assert spread == np.std(last, ddof=1)
