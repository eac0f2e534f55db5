"""The lab's snapshots: recorded at every evaluation, without changing what is trained."""
import shutil

import numpy as np
import pytest

from minigan.pictures import snapshots
from minigan.runs.cli import main
from minigan.runs.folder import load_snapshot, snapshot_steps, write_snapshot
from minigan.train import Trainer
from minigan.config import TrainConfig
from minigan.pictures.zspace import mode_map, z_grid

TINY = ["--batch", "32", "--hidden", "8", "--depth", "1", "--eval-samples", "300", "--quiet"]


def train(out, *args):
    assert main(["train", "--out", str(out), "--eval-every", "20", *TINY, *args]) == 0


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Three short runs of one config: 60 steps with and without snapshots, and 100 steps."""
    tmp = tmp_path_factory.mktemp("snap")
    train(tmp / "lab", "--steps", "60")
    train(tmp / "nolab", "--steps", "60", "--no-lab")
    train(tmp / "full", "--steps", "100")
    return tmp


def test_recording_snapshots_does_not_change_the_run(runs):
    tmp_path = runs
    assert (tmp_path / "lab" / "history.csv").read_bytes() == (tmp_path / "nolab" / "history.csv").read_bytes()
    assert snapshot_steps(tmp_path / "lab") == [0, 20, 40, 60]
    assert snapshot_steps(tmp_path / "nolab") == []
    snap = load_snapshot(tmp_path / "lab", 60)
    assert snap["fakes"].shape == (300, 2) and snap["push"].shape == (300, 2)   # eval < SHOWN
    assert snap["field"].shape == (snapshots.FIELD,) * 2 and snap["fakes"].dtype == np.float16
    assert snap["mesh_x"].shape[:2] == snap["mesh_mode"].shape


def test_resume_drops_the_snapshots_after_the_checkpoint_and_records_the_same_again(runs, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(runs / "full", run)
    shutil.copy(runs / "lab" / "checkpoint.npz", run / "checkpoint.npz")          # back to step 60
    junk = {"step": np.array(80), "fakes": np.zeros((1, 2), np.float16)}
    write_snapshot(run, junk)                                    # a stale snapshot past step 60
    assert main(["train", "--resume", str(run), "--steps", "40", "--quiet"]) == 0
    assert snapshot_steps(run) == [0, 20, 40, 60, 80, 100]
    for step in (80, 100):
        a, b = load_snapshot(run, step), load_snapshot(runs / "full", step)
        assert a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)


def test_mode_map_colours_each_grid_point_by_the_mode_it_reaches():
    t = Trainer(TrainConfig(depth=0, eval_samples=10, dtype="float64"))
    # a linear G(z) = 0.03 z + c₀: z within radius 2 lands within 3 std (0.06) of centre 0
    t.G.params["W1"][...] = 0.03 * np.eye(2)
    t.G.params["b1"][...] = t.data.centers[0]
    m = mode_map(t, n=9)
    r = np.linalg.norm(m["z"], axis=2)
    np.testing.assert_array_equal(m["mode"], np.where(r <= 2 + 1e-9, 0, -1))
    assert m["z"].shape == (9, 9, 2) and m["x"].shape == (9, 9, 2) and m["mode"].shape == (9, 9)
    assert np.array_equal(m["z"][0, :, 0], np.linspace(-3, 3, 9))      # columns run along z1
    assert np.array_equal(m["z"][:, 0, 1], np.linspace(-3, 3, 9))      # rows along z2
    centers, std = t.data.centers, t.data.std
    x = m["x"].reshape(-1, 2).astype(np.float64)
    d = np.linalg.norm(x[:, None] - centers[None], axis=2)
    want = np.where(d.min(1) <= 3 * std, d.argmin(1), -1)
    np.testing.assert_array_equal(m["mode"].ravel(), want)
    assert z_grid(1).shape == (201, 1) and z_grid(4, n=5)[..., 2:].max() == 0   # a slice at 0
