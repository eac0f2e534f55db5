"""`minigan train` / `minigan sample` end to end: run folder, determinism, resume, divergence,
checkpoints, and clear errors for bad command lines."""
import json
import os
import signal

import numpy as np
import pytest

from minigan.runs import checkpoint
from minigan.runs import run as runs
from minigan.runs.cli import main

TINY = ["--hidden", "8", "--depth", "1", "--batch", "32", "--eval-samples", "200", "--quiet"]


def train(out, *extra, steps=20, every=10):
    return main(["train", "--out", str(out), "--steps", str(steps), "--eval-every", str(every),
                 *TINY, *extra])


def read(path):
    with open(path, "rb") as f:
        return f.read()


def metrics_without_time(run):
    m = json.loads(read(os.path.join(run, "metrics.json")))
    m.pop("seconds")
    return m


def test_train_leaves_a_complete_run_folder(tmp_path, capsys):
    assert train(tmp_path / "r", "--gif", "--gif-every", "10") == 0
    files = set(os.listdir(tmp_path / "r"))
    assert {"config.json", "history.csv", "metrics.json", "samples.png", "history.png",
            "checkpoint.npz", "training.gif"} <= files
    m = json.loads(read(tmp_path / "r" / "metrics.json"))
    for key in ("modes_captured", "modes_total", "high_quality_frac", "mode_kl", "sliced_w",
                "steps", "seconds"):
        assert key in m
    assert m["steps"] == 20 and m["modes_total"] == 8
    cfg = json.loads(read(tmp_path / "r" / "config.json"))
    assert cfg["k"] == 1 and cfg["optimizer"] == "adam"          # per-loss defaults resolved
    assert "run folder" in capsys.readouterr().out


def test_1d_run_reports_w1(tmp_path):
    assert train(tmp_path / "g", "--data", "gauss") == 0
    m = json.loads(read(tmp_path / "g" / "metrics.json"))
    assert "w1" in m and "sliced_w" not in m


def test_same_seed_bit_identical(tmp_path):
    for name in ("a", "b"):
        assert train(tmp_path / name, "--loss", "wgan-gp") == 0
    assert read(tmp_path / "a" / "history.csv") == read(tmp_path / "b" / "history.csv")
    assert metrics_without_time(tmp_path / "a") == metrics_without_time(tmp_path / "b")


@pytest.mark.parametrize("loss", ["nsgan", "wgan-gp"])
def test_resume_equals_straight_run(tmp_path, loss):
    """2N steps straight == N steps, then --resume for N more (N not a multiple of eval_every)."""
    assert train(tmp_path / "straight", "--loss", loss, "--lr-half-life", "9", steps=26, every=5) == 0
    assert train(tmp_path / "split", "--loss", loss, "--lr-half-life", "9", steps=13, every=5) == 0
    assert main(["train", "--resume", str(tmp_path / "split"), "--steps", "13", "--quiet"]) == 0
    assert read(tmp_path / "straight" / "history.csv") == read(tmp_path / "split" / "history.csv")
    assert metrics_without_time(tmp_path / "straight") == metrics_without_time(tmp_path / "split")
    a = checkpoint.load(tmp_path / "straight" / "checkpoint.npz")
    b = checkpoint.load(tmp_path / "split" / "checkpoint.npz")
    for k in a:
        if k != "seconds":
            np.testing.assert_array_equal(a[k], b[k])


def test_divergence_stops_and_keeps_last_healthy_checkpoint(tmp_path, monkeypatch, capsys):
    real_step = runs.Trainer.train_step

    def poisoned(self):
        if self.step == 14:
            self.D.params["W1"][...] = np.inf
        real_step(self)

    monkeypatch.setattr(runs.Trainer, "train_step", poisoned)
    assert train(tmp_path / "r", steps=30, every=5) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "diverged" in err[0]
    kept = checkpoint.load(tmp_path / "r" / "checkpoint.npz")
    assert int(kept["step"]) == 10
    assert all(np.isfinite(v).all() for k, v in kept.items() if k.startswith(("G/", "D/")))


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_a_signal_mid_step_stops_at_the_step_boundary_and_resumes_exactly(tmp_path, monkeypatch,
                                                                         capsys, sig):
    """The signal arrives inside step 8's D update: that step finishes, the checkpoint holds step
    8 (not a half-step), and the run resumed to 20 steps equals one trained straight, byte for byte."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)    # as in a terminal
    real_d_step, sent = runs.Trainer.d_step, []

    def d_step(self):
        if self.step == 7 and not sent:
            sent.append(os.kill(os.getpid(), getattr(signal, sig)))
        return real_d_step(self)

    monkeypatch.setattr(runs.Trainer, "d_step", d_step)
    try:
        assert train(tmp_path / "r", steps=20, every=5) == 130
    finally:
        signal.signal(signal.SIGINT, before)
    assert int(checkpoint.load(tmp_path / "r" / "checkpoint.npz")["step"]) == 8
    assert "--resume" in capsys.readouterr().err
    monkeypatch.undo()
    assert main(["train", "--resume", str(tmp_path / "r"), "--steps", "12", "--quiet"]) == 0
    assert train(tmp_path / "straight", steps=20, every=5) == 0
    assert read(tmp_path / "r" / "history.csv") == read(tmp_path / "straight" / "history.csv")
    a = checkpoint.load(tmp_path / "r" / "checkpoint.npz")
    b = checkpoint.load(tmp_path / "straight" / "checkpoint.npz")
    assert all(np.array_equal(a[k], b[k]) for k in a if k != "seconds")


def test_checkpoint_write_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "checkpoint.npz"
    checkpoint.save(path, {"format": np.array(checkpoint.FORMAT), "x": np.arange(3)})

    def crash(f, **arrays):
        f.write(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", crash)
    with pytest.raises(OSError):
        checkpoint.save(path, {"format": np.array(checkpoint.FORMAT), "x": np.arange(5)})
    np.testing.assert_array_equal(checkpoint.load(path)["x"], np.arange(3))


@pytest.mark.parametrize("content", [b"not a zip at all", b"PK\x03\x04 truncated"])
def test_corrupt_checkpoint_is_a_clear_error(tmp_path, capsys, content):
    run = tmp_path / "r"
    run.mkdir()
    (run / "config.json").write_text("{}")                        # the defaults' config
    (run / "checkpoint.npz").write_bytes(content)
    assert main(["train", "--resume", str(run), "--steps", "5", "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not a readable checkpoint" in err[0]


def test_foreign_npz_and_pickles_are_refused(tmp_path):
    np.savez(tmp_path / "foreign.npz", a=np.arange(3))
    with pytest.raises(checkpoint.CheckpointError, match="not a minigan checkpoint"):
        checkpoint.load(tmp_path / "foreign.npz")
    np.savez(tmp_path / "pickled.npz", format=np.array(checkpoint.FORMAT),
             obj=np.array([{"evil": 1}], dtype=object))
    with pytest.raises(checkpoint.CheckpointError, match="not a readable checkpoint"):
        checkpoint.load(tmp_path / "pickled.npz")


@pytest.mark.parametrize("args, words", [
    (["--data", "ring9"], "neither a built-in dataset"), (["--loss", "gan2"], "invalid choice"),
    (["--steps", "-5"], "steps"), (["--batch", "0"], "batch"), (["--steps", "ten"], "invalid int"),
    (["--gp", "1"], "gp"),
])
def test_bad_command_lines_exit_2_with_one_line(tmp_path, capsys, args, words):
    with pytest.raises(SystemExit) as e:
        code = main(["train", "--out", str(tmp_path / "r"), *args])
        raise SystemExit(code)
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert words in err
    assert not (tmp_path / "r" / "checkpoint.npz").exists()


def test_unwritable_out_and_existing_run(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["train", "--out", str(blocker / "sub"), "--quiet"]) == 2
    assert "cannot write" in capsys.readouterr().err
    assert train(tmp_path / "r") == 0
    assert train(tmp_path / "r") == 2
    assert "--resume" in capsys.readouterr().err
    assert train(tmp_path / "r", "--force") == 0
    assert main(["train", "--resume", str(tmp_path / "r"), "--hidden", "4"]) == 2
    assert "only --steps" in capsys.readouterr().err


def test_sample_csv_and_npy(tmp_path, capsys):
    assert train(tmp_path / "r") == 0
    assert main(["sample", "--run", str(tmp_path / "r"), "-n", "50", "--out", str(tmp_path / "s.npy")]) == 0
    x = np.load(tmp_path / "s.npy")
    assert x.shape == (50, 2) and np.isfinite(x).all()
    assert main(["sample", "--run", str(tmp_path / "r"), "-n", "5", "--out", str(tmp_path / "s.csv")]) == 0
    lines = (tmp_path / "s.csv").read_text().splitlines()
    assert lines[0] == "x,y" and len(lines) == 6
    assert main(["sample", "--run", str(tmp_path / "r"), "--class", "1"]) == 2
    assert "not conditional" in capsys.readouterr().err
    assert main(["sample", "--run", str(tmp_path / "nope")]) == 2
    assert main(["sample", "--run", str(tmp_path / "r"), "--out", str(tmp_path / "s.txt")]) == 2
