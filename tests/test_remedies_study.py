"""The remedies study's harness: equal gradient evaluations, resumable stages, its tables."""
import pytest

from minigan.runs.cli import main
from minigan.studies import remedies

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
        budget = 80 * remedies.budget(name) // remedies.BUDGET
        assert budget == 80 * int(name.rpartition("-x")[2]) if "-x" in name else budget == 80
        assert cfg["steps"] * remedies.evals_per_step(cfg) in range(budget - 7, budget + 1), name
    assert remedies.config("extragradient", "ring8", 0)["steps"] == 20          # 4 per step
    assert remedies.config("unrolled5", "ring8", 0)["steps"] == 80 // 7         # 2 + 5 per step
    assert remedies.config("ttur", "ring8", 0)["lr_half_life"] == 16
    assert remedies.config("extragradient", "ring8", 0)["lr_half_life"] == 8    # shrinks with steps


def test_a_longer_variant_is_the_same_remedy_with_more_steps_and_a_longer_half_life(tiny):
    assert set(remedies.LONGER) <= set(remedies.REMEDIES)
    for name, times in [(n, t) for n, ts in remedies.LONGER.items() for t in ts]:
        base, long = remedies.config(name, "grid25", 3), remedies.config(f"{name}-x{times}", "grid25", 3)
        assert long["steps"] == times * base["steps"]
        assert long["lr_half_life"] == times * base["lr_half_life"]
        assert {**long, "steps": 0, "lr_half_life": 0} == {**base, "steps": 0, "lr_half_life": 0}
    assert remedies.budget("ttur-x2") == remedies.budget("ttur") == 80   # not a declared variant
    assert remedies.budget("spectral-x3") == 80 and remedies.budget("wgan-gp-x4") == 320


def test_a_stage_trains_resumes_and_tabulates(tiny, tmp_path, capsys):
    args = ["screen", "--remedies", "ttur", "extragradient", "--seeds", "0", "--jobs", "1",
            "--out", str(tmp_path)]
    assert main(["remedies", *args]) == 0
    md = (tmp_path / "screen.md").read_text()
    assert "| ring8 | ttur | nsgan | 80 | 40 | 1 |" in md
    assert "| ring8 | extragradient | nsgan | 80 | 20 | 1 |" in md
    assert (tmp_path / "screen" / "grid.png").exists()
    capsys.readouterr()
    assert main(["remedies", *args]) == 0                 # a rerun trains nothing
    assert "0 to train" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["remedies", "screen", "--remedies", "nope"])
    capsys.readouterr()
    assert main(["remedies", "screen", "--jobs", "0"]) == 2
    assert capsys.readouterr().err.strip() == "minigan remedies: error: --jobs must be at least 1, got 0"


def test_all_runs_the_three_stages_with_the_studys_choices(tiny, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(remedies, "STAGES", {"screen": (["ring8"], "0"), "tune": (["ring8"], "1"),
                                             "report": (["grid25"], "2")})
    monkeypatch.setattr(remedies, "CHOSEN", {"screen": ["ttur", "pacgan4"], "tune": ["pacgan4"],
                                             "report": ["pacgan4-x2"]})
    assert main(["remedies", "all", "--jobs", "1", "--out", str(tmp_path)]) == 0
    runs = {stage: sorted(p.name for p in tmp_path.glob(f"{stage}/runs/*")) for stage in remedies.STAGES}
    assert runs == {"screen": ["ring8-pacgan4-seed0", "ring8-ttur-seed0"],
                    "tune": ["ring8-pacgan4-seed1"], "report": ["grid25-pacgan4-x2-seed2"]}
    report = (tmp_path / "report.md").read_text()
    assert "| grid25 | pacgan4-x2 | nsgan | 160 | 80 | 1 |" in report
    assert "| PacGAN4 | 7.8 ± 0.1 / 95.9 ± 1.4 | 24.8 ± 0.2 / 93.6 ± 0.6 | PacGAN Table 1 |" in report
    assert "| pacgan4-x2 | – | " in report                     # ours beside them; no ring8 run
    assert (tmp_path / "report" / "quality.png").exists()
    assert main(["remedies", "all", "--remedies", "ttur"]) == 2
    assert "go with one stage" in capsys.readouterr().err
    assert all(n in remedies.REMEDIES for names in remedies.CHOSEN.values() for n in names)
