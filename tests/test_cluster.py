"""minigan sweep --dask: on a Dask cluster of 2 worker processes, the same run folders and tables
as the local path, bit for bit; an unfinished run resumed from the files sent with its task; a
worker killed mid-run costs that run only; one-line errors for bad --dask options."""
import csv
import json
import os
import signal
import sys
import threading
import time

import numpy as np
import pytest

distributed = pytest.importorskip(
    "distributed", reason='the Dask path needs distributed: pip install "minigan[cluster]"')

from minigan.runs import checkpoint
from minigan.studies import cluster as minigan_cluster  # noqa: E402
from minigan.runs.cli import main  # noqa: E402
from minigan.config import TrainConfig  # noqa: E402
from minigan.runs.errors import UsageError  # noqa: E402
from minigan.train import Trainer  # noqa: E402

BASE = ["--data", "ring8", "--loss", "nsgan", "--seeds", "0,1", "--hidden-g", "8", "--depth", "1",
        "--batch", "32", "--eval-samples", "64"]
TINY = [*BASE, "--vary", "hidden_d=8,16", "--steps", "20", "--eval-every", "10"]     # 4 runs
TIME = ("seconds", "seconds_mean", "seconds_se")
TIMEOUT = 120           # s: a sweep that hangs fails the test instead of blocking CI


@pytest.fixture(scope="module")
def dask_cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as c:
        yield c


def read_csv(path, drop=TIME):
    with open(path, newline="") as f:
        return [{k: v for k, v in r.items() if k not in drop} for r in csv.DictReader(f)]


def start(args):
    """main(args) in a thread; returns the thread and the list its exit code (or error) goes to."""
    result = []

    def target():
        try:
            result.append(main(args))
        except BaseException as e:          # seen by the test, not lost in the thread
            result.append(e)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, result


def finish(thread, result):
    thread.join(TIMEOUT)
    assert not thread.is_alive(), f"the sweep did not end within {TIMEOUT} s"
    return result[0]


def files(run_dir):
    return sorted(str(p.relative_to(run_dir)) for p in run_dir.rglob("*") if p.is_file())


def test_dask_sweep_equals_local_sweep(dask_cluster, tmp_path, capsys):
    local, dask = tmp_path / "local", tmp_path / "dask"
    assert main(["sweep", *TINY, "--jobs", "2", "--out", str(local)]) == 0
    printed = capsys.readouterr().out                  # the local sweep, with its --vary axis
    assert "sweep: 0/4 runs done, 0:00:00 elapsed, time left: estimating…" in printed
    assert "sweep: 4/4 runs done" in printed and "none left" in printed
    assert sorted(p.name for p in (local / "runs").iterdir()) == [
        "ring8-nsgan-hidden_d16-seed0", "ring8-nsgan-hidden_d16-seed1",
        "ring8-nsgan-hidden_d8-seed0", "ring8-nsgan-hidden_d8-seed1"]
    assert [(r["hidden_d"], r["seed"]) for r in read_csv(local / "runs.csv")] == \
        [("8", "0"), ("8", "1"), ("16", "0"), ("16", "1")]
    assert [(s["hidden_d"], s["runs"]) for s in read_csv(local / "summary.csv")] == \
        [("8", "2"), ("16", "2")]
    assert "| data | loss | hidden_d | steps |" in (local / "summary.md").read_text()

    # an interrupted run in the Dask sweep's folder: stopped at step 10, with a made-up 1000 s
    # of training time that only a run resumed from these very files carries on
    run = "ring8-nsgan-hidden_d16-seed1"
    interrupted = dask / "runs" / run
    (interrupted / "snapshots").mkdir(parents=True)
    for name in ["history.csv", "config.json", "snapshots/step0000000.npz",
                 "snapshots/step0000010.npz"]:
        (interrupted / name).write_bytes((local / "runs" / run / name).read_bytes())
    t = Trainer(TrainConfig.from_dict(json.loads((interrupted / "config.json").read_text())))
    t.evaluate()                            # as train_run does at steps 0 and 10: an evaluation
    for _ in range(10):                     # starts the next history row's running means
        t.train_step()
    t.evaluate()
    checkpoint.save(interrupted / "checkpoint.npz",
                    {**checkpoint.arrays(t), "seconds": np.array(1000.0)})

    assert finish(*start(["sweep", *TINY, "--dask", dask_cluster.scheduler_address,
                          "--out", str(dask)])) == 0
    printed = capsys.readouterr().out
    assert "0 finished (skipped), 4 to train on the Dask cluster at tcp://" in printed
    assert "sweep: 4/4 runs done" in printed
    for name in ("runs.csv", "summary.csv"):
        assert read_csv(dask / name) == read_csv(local / name), name
    for run_dir in sorted((local / "runs").iterdir()):
        other = dask / "runs" / run_dir.name
        assert files(other) == files(run_dir), run_dir.name          # the whole folder came back
        assert (other / "history.csv").read_bytes() == (run_dir / "history.csv").read_bytes()
        a, b = (json.loads((d / "metrics.json").read_text()) for d in (run_dir, other))
        assert a.pop("seconds") < 1000 and (b.pop("seconds") > 1000) == (run_dir.name == run)
        assert a == b, run_dir.name
    for name in ("summary.md", "grid.png", "modes.png"):
        assert (dask / name).stat().st_size > 0

    # a rerun finds every run finished: nothing to train, the cluster is not even contacted
    assert main(["sweep", *TINY, "--dask", "tcp://127.0.0.1:9", "--out", str(dask)]) == 0
    assert "4 finished (skipped), 0 to train" in capsys.readouterr().out


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="kills a worker process with SIGKILL")
def test_a_worker_killed_mid_run_costs_that_run_only(dask_cluster, tmp_path):
    """Two runs long enough (~1 s) to be caught running; the killed one is retried and finishes.
    They train in a --dask-shared folder, so the retry resumes from the dead worker's checkpoint."""
    out, shared = tmp_path / "k", tmp_path / "shared"
    shared.mkdir()
    long = [*BASE, "--hidden-d", "8", "--steps", "2000", "--eval-every", "500"]      # 2 runs
    with distributed.Client(dask_cluster.scheduler_address, set_as_default=False) as watcher:
        pids = watcher.run(os.getpid)                              # {worker address: pid}
        thread, result = start(["sweep", *long, "--dask",
                                dask_cluster.scheduler_address, "--dask-shared", str(shared),
                                "--out", str(out)])
        killed, deadline = None, time.monotonic() + TIMEOUT
        while killed is None and thread.is_alive() and time.monotonic() < deadline:
            running = {w: list(keys) for w, keys in watcher.call_stack().items() if keys}
            for worker, keys in running.items():
                if worker in pids and keys[0].startswith("minigan-"):
                    os.kill(pids[worker], signal.SIGKILL)
                    killed = keys[0]
                    break
            time.sleep(0.02)
        assert finish(thread, result) == 0
    assert killed is not None, "no run was seen running, so none was killed"
    rows = read_csv(out / "runs.csv", drop=())
    assert [(r["seed"], r["steps"]) for r in rows] == [("0", "2000"), ("1", "2000")]
    for run_dir in (out / "runs").iterdir():                        # copied from the shared folder
        assert files(run_dir) == files(shared / "runs" / run_dir.name)


@pytest.mark.parametrize("bad, words", [
    (["--dask", "http://host:8786"], "expected the scheduler's address as tcp://HOST:PORT"),
    (["--dask", "tcp://"], "expected the scheduler's address"),
    (["--dask-shared", "."], "--dask-shared: goes with --dask ADDRESS"),
    (["--dask", "tcp://127.0.0.1:9", "--dask-shared", "/no/such/folder"], "no such folder here"),
])
def test_bad_dask_options_exit_2_with_one_line(bad, words, tmp_path, capsys):
    assert main(["sweep", *TINY, *bad, "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("minigan sweep: error: ") and words in err, err
    assert len(err.strip().splitlines()) == 1


def test_without_distributed_dask_says_what_to_install(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)          # import distributed fails
    assert main(["sweep", *TINY, "--dask", "tcp://127.0.0.1:9", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ['minigan sweep: error: --dask needs Dask\'s distributed package: '
                   'pip install "minigan[cluster]"']


def test_unreachable_scheduler_is_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(minigan_cluster, "CONNECT_SECONDS", 0.5)
    assert main(["sweep", *TINY, "--dask", "tcp://127.0.0.1:9", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot connect to the scheduler" in err[0], err


def test_run_files_travel_whole_and_metrics_json_lands_last(tmp_path, monkeypatch):
    tree = {"metrics.json": b"{}", "config.json": b"{1}", "snapshots/step0000000.npz": b"\0\1"}
    order = []
    real_open = open
    monkeypatch.setattr("builtins.open", lambda p, *a, **k: order.append(os.path.basename(p))
                        or real_open(p, *a, **k))
    minigan_cluster.write_tree(str(tmp_path / "run"), tree)
    monkeypatch.undo()
    assert order[-1] == "metrics.json"
    assert minigan_cluster.read_tree(str(tmp_path / "run")) == tree
    with pytest.raises(ValueError):
        minigan_cluster.write_tree(str(tmp_path / "run"), {"../evil": b""})


class FakeClient:
    """Answers client.run(versions) as the workers of a cluster would."""

    def __init__(self, answer):
        self.answer = answer

    def run(self, function):
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def test_workers_must_run_our_minigan_and_numpy():
    ours = minigan_cluster.versions()
    minigan_cluster.check_versions(FakeClient({"tcp://a:1": ours, "tcp://b:1": list(ours)}))
    with pytest.raises(UsageError, match=r"tcp://b:1 has minigan 0\.0\.1 and NumPy"):
        minigan_cluster.check_versions(FakeClient({"tcp://a:1": ours,
                                                   "tcp://b:1": ("0.0.1", ours[1])}))
    with pytest.raises(UsageError, match=r"cannot run minigan \(ModuleNotFoundError"):
        minigan_cluster.check_versions(FakeClient(ModuleNotFoundError("No module named 'minigan'")))
