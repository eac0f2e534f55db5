"""`minigan bench` runs the peer's workload through Trainer.train_step and reports a rate.

No timing is asserted: only that the command runs, reports, and times the real training step.
"""
import json
import sys

import pytest

from minigan.runs.bench import bench_config
from minigan.runs.cli import main
from minigan.train import Trainer

TINY = ["--hidden", "8", "--depth", "1", "--batch", "16", "--iters", "3", "--warmup", "1"]


def bench_json(capsys, *args):
    assert main(["bench", *TINY, "--json", *args]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1                  # one JSON line, nothing else on stdout
    return json.loads(out[0])


@pytest.mark.parametrize("loss, n_critic", [("gan", 1), ("wgan", 5), ("wgan-gp", 5)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_bench_reports_one_json_line(capsys, loss, n_critic, dtype):
    r = bench_json(capsys, "--loss", loss, "--dtype", dtype)
    assert r["bench"] == "minigan" and r["loss"] == loss and r["dtype"] == dtype
    assert r["n_critic"] == n_critic
    assert r["iters_per_s"] > 0 and r["seconds"] > 0 and r["iters"] == 3
    for key in ("threads", "blas", "numpy", "hidden", "depth", "batch"):
        assert key in r
    assert r["malloc"] == "keep_freed_memory"


def test_bench_can_leave_the_allocator_alone(capsys):
    assert bench_json(capsys, "--default-malloc")["malloc"] == "default"


def test_bench_prints_a_sentence_without_json(capsys):
    assert main(["bench", *TINY]) == 0
    out = capsys.readouterr().out
    assert "iterations/s" in out and "numpy" in out


def test_bench_times_the_training_step_itself(capsys, monkeypatch):
    """warmup + iters calls of Trainer.train_step: the path `minigan train` runs, no fast path."""
    calls = []
    real = Trainer.train_step
    monkeypatch.setattr(Trainer, "train_step", lambda self: calls.append(1) or real(self))
    bench_json(capsys, "--loss", "wgan-gp")
    assert len(calls) == 1 + 3


def test_bench_config_is_the_peer_workload():
    """torch_peer.py: gan = BCE + non-saturating G, Adam 2e-4 (0.5, 0.999), n_critic 1; wgan =
    RMSProp 5e-5, clip 0.01, n_critic 5; wgan-gp = Adam 1e-4 (0.5, 0.9), λ = 10, n_critic 5."""
    gan = bench_config("gan", 128, 3, 256, 2, "float64").resolved()
    assert (gan.loss, gan.k, gan.optimizer, gan.lr_d, gan.lr_g) == ("nsgan", 1, "adam", 2e-4, 2e-4)
    assert (gan.beta1, gan.beta2, gan.data, gan.activation) == (0.5, 0.999, "ring8", "relu")
    wgan = bench_config("wgan", 128, 3, 256, 2, "float64").resolved()
    assert (wgan.k, wgan.optimizer, wgan.lr_d, wgan.clip) == (5, "rmsprop", 5e-5, 0.01)
    gp = bench_config("wgan-gp", 128, 3, 256, 2, "float32").resolved()
    assert (gp.k, gp.optimizer, gp.lr_d, gp.beta1, gp.beta2, gp.gp) == (5, "adam", 1e-4, 0.5, 0.9, 10.0)
    assert (gp.hidden, gp.depth, gp.batch, gp.z_dim, gp.dtype) == (128, 3, 256, 2, "float32")


@pytest.mark.parametrize("bad", [["--iters", "0"], ["--hidden", "0"], ["--warmup", "-1"]])
def test_bench_rejects_bad_values(capsys, bad):
    assert main(["bench", *TINY, *bad]) == 2
    assert "minigan bench: error" in capsys.readouterr().err


def test_threads_without_threadpoolctl_is_a_usage_error(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "threadpoolctl", None)     # import fails as if not installed
    assert main(["bench", *TINY, "--threads", "1"]) == 2
    assert "threadpoolctl" in capsys.readouterr().err


def test_reports_threads_from_the_environment_without_threadpoolctl(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "threadpoolctl", None)
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")
    r = bench_json(capsys)
    assert r["source"] == "environment" and r["threads"] == "1"


def test_keep_freed_memory_is_applied_on_glibc_and_harmless_elsewhere():
    import platform
    from minigan.runs.memory import keep_freed_memory
    applied = keep_freed_memory()
    assert isinstance(applied, bool)
    if platform.system() == "Linux" and platform.libc_ver()[0] == "glibc":
        assert applied
