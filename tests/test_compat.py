"""Run folders of older releases still load, resume, sample and rebuild (tests/fixtures/v0.2.0).

The fixture was written by minigan 0.2.0 (config without "format", hidden_g or hidden_d;
checkpoint format 1). Resuming it with this release must continue the very same trajectory as a
fresh run of this release: the upgrade changes the file layout, never what is trained.
"""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from minigan.runs import checkpoint
from minigan.config import FORMAT, ConfigError, TrainConfig
from minigan.runs.folder import open_run
from minigan.runs.run import resume

OLD = Path(__file__).parent / "fixtures" / "v0.2.0"


def minigan(*args):
    """`python -m minigan ARGS` in a fresh process (one BLAS thread, as the fixture was made)."""
    r = subprocess.run([sys.executable, "-m", "minigan", *args], capture_output=True, text=True,
                       env={k: v for k, v in os.environ.items() if not k.endswith("NUM_THREADS")})
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_old_config_upgrades_to_the_current_format():
    old = json.loads((OLD / "run" / "config.json").read_text())
    assert "format" not in old and "hidden_g" not in old
    cfg = TrainConfig.from_dict(old)
    assert (cfg.hidden_g, cfg.hidden_d) == (16, 16)
    assert cfg.to_dict()["format"] == FORMAT
    assert TrainConfig.from_dict(cfg.to_dict()) == cfg               # round trip
    with pytest.raises(ConfigError, match="newer minigan"):
        TrainConfig.from_dict({**old, "format": FORMAT + 1})


def test_old_checkpoint_loads_and_a_foreign_format_is_refused(tmp_path):
    arrays = checkpoint.load(OLD / "run" / "checkpoint.npz")
    assert str(arrays["format"]) == "minigan-checkpoint-1"
    trainer, _, _ = resume(str(OLD / "run"), {})
    assert trainer.step == 60 and trainer.G.params["W1"].shape == (2, 16)
    checkpoint.save(tmp_path / "c.npz", {**arrays, "format": np.array("minigan-checkpoint-99")})
    with pytest.raises(checkpoint.CheckpointError, match="minigan-checkpoint-99"):
        checkpoint.load(tmp_path / "c.npz")
    assert open_run(str(OLD / "run"), restore=False)[0].cfg.hidden_d == 16


def test_old_run_resumes_onto_the_trajectory_of_a_fresh_run(tmp_path):
    """0.2.0's 60 steps + this release's 20 = this release's 80, bit for bit."""
    old = tmp_path / "old"
    shutil.copytree(OLD / "run", old)
    minigan("train", "--resume", str(old), "--steps", "20", "--quiet", "--no-lab")
    fresh = tmp_path / "fresh"
    minigan("train", "--steps", "80", "--eval-every", "20", "--batch", "64", "--hidden", "16",
            "--out", str(fresh), "--quiet", "--no-lab")
    assert (old / "history.csv").read_text() == (fresh / "history.csv").read_text()
    strip = lambda p: {k: v for k, v in json.loads(p.read_text()).items() if k != "seconds"}
    assert strip(old / "metrics.json") == strip(fresh / "metrics.json")
    assert json.loads((old / "config.json").read_text())["format"] == FORMAT
    out = minigan("sample", "--run", str(old), "-n", "3")
    assert out.splitlines()[0] == "x,y" and len(out.splitlines()) == 4
