"""minigan sweep: a tiny sweep end to end, resuming without retraining, the same table from the
same seeds, --vary axes, a sweep folder of minigan 0.2.0 rerun, the progress line, and one-line
errors for bad command lines; the mode trace of minigan hopping."""
import csv
import json
import os
import shutil

import numpy as np
import pytest

from minigan.runs import checkpoint
from minigan.runs.cli import build_parser, main
from minigan.config import TrainConfig
from minigan.runs.errors import UsageError
from minigan.studies.hopping import mode_trace, read_trace
from minigan.studies.summary import SweepProgress, labelled, markdown, mean_se, summarize
from minigan.studies.sweep import SWEEP_DEFAULTS, parse_seeds, plan
from minigan.train import Trainer

TINY = ["--data", "ring8", "--loss", "nsgan", "wgan-gp", "--seeds", "0", "--steps", "20",
        "--eval-every", "10", "--hidden", "8", "--depth", "1", "--batch", "32",
        "--eval-samples", "200"]
TIME = ("seconds", "seconds_mean", "seconds_se")


def sweep(out, *extra, jobs="2"):
    return main(["sweep", *TINY, "--jobs", jobs, "--out", str(out), *extra])


def read_csv(path, drop=TIME):
    with open(path, newline="") as f:
        return [{k: v for k, v in r.items() if k not in drop} for r in csv.DictReader(f)]


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    out = tmp_path_factory.mktemp("sweep") / "a"
    assert sweep(out) == 0
    return out


def test_tiny_sweep_end_to_end(first, capsys):
    for name in ("summary.csv", "summary.md", "runs.csv", "grid.png", "modes.png"):
        assert (first / name).stat().st_size > 0, name
    runs = read_csv(first / "runs.csv", drop=())
    assert [(r["data"], r["loss"], r["seed"], r["steps"]) for r in runs] == \
        [("ring8", "nsgan", "0", "20"), ("ring8", "wgan-gp", "0", "20")]
    for r in runs:                      # each run is an ordinary run folder with its own metrics
        m = json.loads((first / "runs" / f"ring8-{r['loss']}-seed0" / "metrics.json").read_text())
        assert r["high_quality_frac"] == repr(m["high_quality_frac"])
        assert float(r["seconds"]) > 0
    summary = read_csv(first / "summary.csv", drop=())
    assert [(s["loss"], s["runs"], s["modes_total"]) for s in summary] == \
        [("nsgan", "1", "8"), ("wgan-gp", "1", "8")]
    md = (first / "summary.md").read_text()
    assert "| ring8 | nsgan | 20 | 1 |" in md and "| ring8 | wgan-gp | 20 | 1 |" in md
    cfg = json.loads((first / "runs" / "ring8-wgan-gp-seed0" / "config.json").read_text())
    assert (cfg["hidden"], cfg["steps"], cfg["lr_half_life"]) == \
        (8, 20, SWEEP_DEFAULTS["wgan-gp"]["lr_half_life"])        # sweep default, and ours


def test_rerun_skips_finished_runs(first, capsys):
    metrics = sorted((first / "runs").glob("*/metrics.json"))
    before = [p.stat().st_mtime_ns for p in metrics]
    assert sweep(first) == 0
    assert "2 finished (skipped), 0 to train" in capsys.readouterr().out
    assert [p.stat().st_mtime_ns for p in metrics] == before


def test_same_seeds_same_table_and_interrupted_run_resumes(first, tmp_path, capsys):
    """A second sweep, on one worker, with one run stopped half-way, gives the same table."""
    out = tmp_path / "b"
    cfg = json.loads((first / "runs" / "ring8-nsgan-seed0" / "config.json").read_text())
    run_dir = out / "runs" / "ring8-nsgan-seed0"
    run_dir.mkdir(parents=True)
    t = Trainer(TrainConfig.from_dict(cfg))
    for _ in range(10):
        t.train_step()
    checkpoint.save(run_dir / "checkpoint.npz", checkpoint.arrays(t))    # as if stopped at step 10
    assert sweep(out, jobs="1") == 0
    assert "0 finished (skipped), 2 to train" in capsys.readouterr().out
    for name in ("summary.csv", "runs.csv"):
        assert read_csv(out / name) == read_csv(first / name), name
    for run in ("ring8-nsgan-seed0", "ring8-wgan-gp-seed0"):
        a = json.loads((first / "runs" / run / "metrics.json").read_text())
        b = json.loads((out / "runs" / run / "metrics.json").read_text())
        a.pop("seconds"), b.pop("seconds")
        assert a == b, run
    strip = lambda md: [line.rsplit("|", 2)[0] for line in md.splitlines()]   # minus seconds
    assert strip((out / "summary.md").read_text()) == strip((first / "summary.md").read_text())


def test_other_config_in_the_same_folder_is_refused(first, capsys):
    assert sweep(first, "--lr-g", "1e-3") == 2
    err = capsys.readouterr().err
    assert "another config" in err and "lr_g" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("bad", [["--seeds", "3-1"], ["--seeds", "a"], ["--seeds", "1,1"],
                                 ["--jobs", "0"], ["--steps", "-1"]])
def test_bad_values_exit_2_with_one_line(bad, tmp_path, capsys):
    assert main(["sweep", *TINY, "--out", str(tmp_path), *bad]) == 2
    err = capsys.readouterr().err
    assert err.startswith("minigan sweep: error:") and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("bad", [["--loss", "nope"], ["--data", "swissroll"], ["--resume", "x"]])
def test_unknown_choices_exit_2(bad, tmp_path):
    with pytest.raises(SystemExit) as e:
        main(["sweep", "--out", str(tmp_path), *bad])
    assert e.value.code == 2


def test_parse_seeds():
    assert parse_seeds("0-4") == [0, 1, 2, 3, 4]
    assert parse_seeds("0,2,5") == [0, 2, 5]
    assert parse_seeds("3") == [3]
    assert parse_seeds("1-2,7") == [1, 2, 7]
    for bad in ("3-1", "-1", "", "1-", "x"):
        with pytest.raises(UsageError):
            parse_seeds(bad)


def test_sweep_defaults_apply_unless_given():
    args = build_parser().parse_args(["sweep", "--loss", "gan", "wgan-gp", "--seeds", "0",
                                      "--lr-d", "3e-4"])
    cfgs = {c["loss"]: c for _, c in plan(args)[0] if c["data"] == "ring8"}
    for loss, cfg in cfgs.items():
        assert cfg["lr_d"] == 3e-4                                 # given: wins everywhere
        for k, v in SWEEP_DEFAULTS[loss].items():
            if k != "lr_d":
                assert cfg[k] == v, (loss, k)
    plain = build_parser().parse_args(["sweep", "--loss", "wgan", "--no-sweep-defaults"])
    assert all(c == TrainConfig(data=c["data"], loss="wgan", seed=c["seed"]).resolved().to_dict()
               for _, c in plan(plain)[0])


VARY = ["--data", "ring8", "--loss", "nsgan", "--seeds", "0", "--steps", "20", "--eval-every", "10",
        "--hidden-g", "8", "--depth", "1", "--batch", "32", "--eval-samples", "64"]


def test_vary_groups_the_summary_by_the_varied_values():
    """A row per data × loss × varied values (tests/test_cluster.py runs a --vary sweep end to end,
    on both paths)."""
    planned = [(f"r{i}", {"data": "ring8", "loss": "nsgan", "hidden_d": h, "seed": s, "steps": 20})
               for i, (h, s) in enumerate([(8, 0), (8, 1), (16, 0), (16, 1)])]
    metrics = {"modes_captured": 8, "modes_total": 8, "high_quality_frac": 0.5, "mode_kl": 0.1,
               "sliced_w": 0.2, "seconds": 1.0}
    rows = [{**c, **metrics, "sliced_w": 0.1 * i} for i, (_, c) in enumerate(planned[:3])]
    table = summarize(rows, planned, ["hidden_d"])
    assert [(t["hidden_d"], t["runs"], t["planned"]) for t in table] == [(8, 2, 2), (16, 1, 2)]
    assert table[0]["sliced_w_mean"] == pytest.approx(0.05)
    md = markdown(table, ["hidden_d"])
    assert "| data | loss | hidden_d | steps | runs |" in md
    assert "| ring8 | nsgan | 16 | 20 | 1 of 2 |" in md
    assert labelled(planned, ["hidden_d"])[2][1]["loss"] == "nsgan hidden_d=16"    # figure rows
    assert labelled(planned, []) == planned


def test_vary_folder_names_follow_the_order_given():
    args = build_parser().parse_args(["sweep", *VARY, "--vary", "hidden_d=16",
                                      "--vary", "lr_d=1e-3,0.002", "--vary", "activation=tanh",
                                      "--vary", "conditional=true"])
    planned, varied = plan(args)
    assert varied == ["hidden_d", "lr_d", "activation", "conditional"]
    assert [os.path.basename(d) for d, _ in planned] == [
        "ring8-nsgan-hidden_d16-lr_d0.001-activation_tanh-conditional_true-seed0",
        "ring8-nsgan-hidden_d16-lr_d0.002-activation_tanh-conditional_true-seed0"]
    assert [c["lr_d"] for _, c in planned] == [1e-3, 2e-3]
    plain = build_parser().parse_args(["sweep", *VARY])
    assert [os.path.basename(d) for d, _ in plan(plain)[0]] == ["ring8-nsgan-seed0"]


@pytest.mark.parametrize("vary, words", [
    (["--vary", "hidden_d=16,abc"], "--vary hidden_d: 'abc' is not an integer"),
    (["--vary", "lr_d=1e-3,fast"], "--vary lr_d: 'fast' is not a number"),
    (["--vary", "conditional=maybe"], "--vary conditional: 'maybe' is not true or false"),
    (["--vary", "activation=relu,swish"], "--vary activation: 'swish' is not one of relu"),
    (["--vary", "width=8"], "--vary width: not a per-run option; one of steps, batch"),
    (["--vary", "seed=1,2"], "--vary seed: data, loss and seed have their own options"),
    (["--vary", "hidden_g=8,16"], "--vary hidden_g: also given as --hidden-g"),
    (["--vary", "z_dim=1", "--vary", "z-dim=2"], "--vary z_dim: given twice"),
    (["--vary", "z_dim"], "expected FIELD=V1,V2,..."),
    (["--vary", "z_dim=1,1"], "--vary z_dim: a value is listed twice"),
    (["--vary", "hidden_d=0,8"], "ring8 nsgan hidden_d=0: hidden_d: must be an integer ≥ 1"),
])
def test_bad_vary_exits_2_with_one_line(vary, words, tmp_path, capsys):
    assert main(["sweep", *VARY, *vary, "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("minigan sweep: error: ") and words in err, err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x").exists()                    # refused before anything is written


def test_sweep_folder_of_minigan_0_2_0_is_finished(tmp_path, capsys):
    """The command in tests/fixtures/v0.2.0/README.md, rerun by this minigan: nothing to train."""
    fixture = os.path.join(os.path.dirname(__file__), "fixtures", "v0.2.0", "sweep")
    out = tmp_path / "sweep"
    shutil.copytree(fixture, out)
    run = out / "runs" / "ring8-nsgan-seed0"
    before = {p.name: p.read_bytes() for p in run.iterdir() if p.is_file()}
    assert main(["sweep", "--data", "ring8", "--loss", "nsgan", "--seeds", "0", "--steps", "40",
                 "--eval-every", "20", "--batch", "64", "--hidden", "16", "--depth", "1",
                 "--jobs", "1", "--out", str(out)]) == 0
    assert "1 finished (skipped), 0 to train" in capsys.readouterr().out
    assert {p.name: p.read_bytes() for p in run.iterdir() if p.name in before} == before
    metrics = json.loads(before["metrics.json"])
    (row,) = read_csv(out / "runs.csv", drop=())
    assert row["seed"] == "0" and row["steps"] == "40"
    for k in ("modes_captured", "high_quality_frac", "mode_kl", "sliced_w", "seconds"):
        assert row[k] == repr(metrics[k]), k
    (line,) = read_csv(out / "summary.csv", drop=())
    assert (line["runs"], line["sliced_w_mean"]) == ("1", repr(metrics["sliced_w"]))


def test_progress_estimates_from_finished_runs_and_workers():
    p = SweepProgress(total=10, skipped=2, workers=2)
    assert p.line().startswith("sweep: 2/10 runs done, 0:00:00 elapsed, time left: estimating…")
    p.ended(60.0, ok=True)
    assert p.ended(120.0, ok=True) == 2
    assert p.line().endswith("about 0:04:30 left")          # mean 90 s × 6 runs ÷ 2 workers
    p.ended(1.0, ok=False)                                  # counts as done, not in the estimate
    assert "5/10 runs done (1 failed)" in p.line() and p.line().endswith("about 0:03:45 left")
    for _ in range(4):
        p.ended(90.0, ok=True)
    assert p.line().endswith("about 0:01:30 left")          # 1 run left: one worker works on it


def test_mean_and_standard_error():
    m, se = mean_se([1.0, 2.0, 3.0, 6.0])
    assert m == 3.0 and se == pytest.approx(np.std([1, 2, 3, 6], ddof=1) / 2, rel=1e-12)
    assert np.isnan(mean_se([5.0])[1]) and np.isnan(mean_se([])[0])


def test_mode_trace_counts_the_high_quality_samples():
    t = Trainer(TrainConfig(data="ring8", steps=6, hidden=8, depth=1, batch=16, eval_samples=300))
    trace = mode_trace(t, every=3)
    assert trace["step"].tolist() == [0, 3, 6] and trace["counts"].shape == (3, 8)
    np.testing.assert_array_equal(trace["counts"].sum(axis=1),
                                  np.round(trace["high_quality_frac"] * 300).astype(int))


def test_mode_trace_of_a_conditional_run_asks_for_the_evaluation_labels():
    t = Trainer(TrainConfig(data="ring8", conditional=True, steps=4, hidden=8, depth=1, batch=16,
                            eval_samples=80))
    trace = mode_trace(t, every=2)
    assert trace["step"].tolist() == [0, 2, 4] and trace["counts"].shape == (3, 8)
    assert (trace["counts"].sum(axis=1) <= 80).all()


STUDY_TINY = ["--steps", "4", "--every", "2", "--hidden", "8", "--depth", "1", "--batch", "16",
              "--eval-samples", "80"]


def test_study_command_conditional(tmp_path, capsys):
    """minigan hopping --conditional: was a crash (G called without labels)."""
    assert main(["hopping", *STUDY_TINY, "--data", "ring8", "--conditional", "--out", str(tmp_path)]) == 0
    assert "modes captured:" in capsys.readouterr().out
    assert read_trace(tmp_path / "mode_trace.csv")["step"].tolist() == [0, 2, 4]
    assert (tmp_path / "mode_hopping.png").stat().st_size > 0


@pytest.mark.parametrize("bad, words", [(["--data", "uniform"], "counts modes"),
                                        (["--every", "0"], "--every"),
                                        (["--conditional", "--data", "swissroll"], "class labels")])
def test_study_command_refuses_with_one_line(bad, words, tmp_path, capsys):
    assert main(["hopping", *STUDY_TINY, *bad, "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0] and err[0].startswith("minigan hopping: error:")
