"""The remedies study's harness: equal gradient evaluations, resumable stages, its tables."""
import pytest

from minigan import remedies

TINY = dict(batch=32, hidden=8, depth=2, z_dim=2, activation="relu", eval_samples=100,
            eval_every=10)


@pytest.fixture
def tiny(monkeypatch):
    monkeypatch.setattr(remedies, "BUDGET", 80)
    monkeypatch.setattr(remedies, "SWEEP_DEFAULTS", {
        "nsgan": dict(TINY, steps=40, lr_d=1e-3, lr_g=2e-4, lr_half_life=16),
        "wgan-gp": dict(TINY, steps=40, k=1, lr_d=1e-3, lr_g=5e-4, lr_half_life=8)})


def test_every_remedy_gets_the_same_gradient_evaluations(tiny):
    for name in remedies.REMEDIES:
        cfg = remedies.config(name, "ring8", 0)
        assert cfg["steps"] * remedies.evals_per_step(cfg) in range(80 - 7, 81), name
    assert remedies.config("extragradient", "ring8", 0)["steps"] == 20          # 4 per step
    assert remedies.config("unrolled5", "ring8", 0)["steps"] == 80 // 7         # 2 + 5 per step
    assert remedies.config("ttur", "ring8", 0)["lr_half_life"] == 16
    assert remedies.config("extragradient", "ring8", 0)["lr_half_life"] == 8    # shrinks with steps


def test_a_stage_trains_resumes_and_tabulates(tiny, tmp_path, capsys):
    args = ["screen", "--remedies", "ttur", "extragradient", "--seeds", "0", "--jobs", "1",
            "--out", str(tmp_path)]
    assert remedies.main(args) == 0
    md = (tmp_path / "screen.md").read_text()
    assert "| ring8 | ttur | nsgan | 40 | 1 |" in md and "| ring8 | extragradient | nsgan | 20 | 1 |" in md
    assert (tmp_path / "screen" / "grid.png").exists()
    capsys.readouterr()
    assert remedies.main(args) == 0                       # a rerun trains nothing
    assert "0 to train" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        remedies.main(["screen", "--remedies", "nope"])
