"""What a user can do wrong ends in one line and exit status 2, never a traceback, a silent wrong
result, a leftover .tmp or a folder worse than before: hostile data files, damaged run folders
(by hand and drawn by hypothesis), sizes that cannot fit, two trainers on one folder, a full disk."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from minigan.runs import checkpoint
from minigan.runs.cli import main

ROOT = Path(__file__).resolve().parents[1]
TINY = ["--hidden", "8", "--depth", "1", "--batch", "16", "--eval-samples", "64", "--quiet"]


def files(folder):
    """{relative path: bytes} of every file below folder (the lock file aside)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in Path(folder).rglob("*")
            if p.is_file() and p.name != ".lock"}


def run(capsys, *argv, codes=(2,)):
    """main(argv) in-process: its exit code must be one of codes; when it is not 0, exactly one
    line on stderr, no traceback. Returns that line (or "" for exit 0)."""
    code = main([str(a) for a in argv])
    err = capsys.readouterr().err.strip().splitlines()
    assert code in codes, (argv, code, err)
    if code:
        assert len(err) == 1 and "Traceback" not in err[0], err
        return err[0]
    return ""


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """A finished tiny run: 20 steps, evaluation every 10."""
    out = tmp_path_factory.mktemp("edges") / "run"
    assert main(["train", "--out", str(out), "--steps", "20", "--eval-every", "10", *TINY]) == 0
    return out


def copy(finished, tmp_path):
    shutil.copytree(finished, tmp_path / "run")
    return tmp_path / "run"


# --- data files -----------------------------------------------------------------------------------

def write(tmp_path, name, content):
    p = tmp_path / name
    p.write_bytes(content if isinstance(content, bytes) else content.encode())
    return p


def npy_header_only(path, shape):
    with open(path, "wb") as f:
        np.lib.format.write_array_header_1_0(f, {"descr": "<f8", "fortran_order": False, "shape": shape})


@pytest.mark.parametrize("name, content, words", [
    ("latin1.csv", b"x,y\n\xe9,1\n", "not UTF-8"),
    ("huge-field.csv", "1," + "1" * 200_000 + "\n", "not a CSV file of numbers"),
    ("typo.csv", "1.0,abc\n2,3\n", "line 1, column 2: 'abc' is not a number"),
    ("underscore.csv", "x,y\n1_000,2\n", "'1_000' is not a number"),
    ("nan.csv", "x,y\n1,nan\n", "not a finite number"),
    ("beyond-float32.csv", "x,y\n1e39,0\n", "beyond"),
    ("ragged.csv", "x,y\n1,2\n3\n", "line 3: 1 values, expected 2"),
    ("empty.csv", "\n\n", "no rows"),
    ("header-only.csv", "x,y\n", "a header but no rows"),
    ("three.csv", "a,b,c\n1,2,3\n", "3 data columns"),
])
def test_bad_csv_files(tmp_path, capsys, name, content, words):
    path = write(tmp_path, name, content)
    line = run(capsys, "train", "--data", path, "--out", tmp_path / "r", "--steps", "2", *TINY)
    assert words in line and str(path) in line
    assert not (tmp_path / "r").exists()                    # no half-made run folder


def test_bad_npy_files(tmp_path, capsys):
    np.save(tmp_path / "empty.npy", np.zeros((0,)))
    np.savez(tmp_path / "arch.npz", a=np.ones((3, 2)))
    os.rename(tmp_path / "arch.npz", tmp_path / "arch.npy")
    npy_header_only(tmp_path / "claims.npy", (10**11, 2))
    np.save(tmp_path / "objects.npy", np.array([{"a": 1}, None], dtype=object), allow_pickle=True)
    np.save(tmp_path / "wide.npy", np.ones((4, 3)))
    np.save(tmp_path / "big.npy", np.array([[1e300, 0.0]]))
    cases = {"empty.npy": "no rows", "arch.npy": ".npz archive", "claims.npy": "rows; at most",
             "objects.npy": "holds object values", "wide.npy": "shape (4, 3)", "big.npy": "beyond"}
    for name, words in cases.items():
        line = run(capsys, "train", "--data", tmp_path / name, "--out", tmp_path / "r", "--steps", "2",
                   "--dtype", "float64", *TINY)
        assert words in line and "allow_pickle" not in line, line


def test_a_bom_is_read_and_a_header_needs_every_field_to_be_a_word(tmp_path, capsys):
    rows = "\n".join(f"{np.cos(k)},{np.sin(k)}" for k in range(40))
    path = write(tmp_path, "bom.csv", b"\xef\xbb\xbf" + rows.encode())
    run(capsys, "train", "--data", path, "--out", tmp_path / "r", "--steps", "2", *TINY, codes=(0,))
    assert len(open(tmp_path / "r" / "data.csv", encoding="utf-8-sig").read().splitlines()) == 40


def test_labels_are_the_classes_they_name(tmp_path, capsys):
    """Labels {0, 5, 1000000}: three classes (no phantom ones, no allocation by value), asked for
    by their own names."""
    rng = np.random.default_rng(0)
    lines = ["x,y,label"] + [f"{rng.normal()},{rng.normal()},{k}" for k in (0, 5, 1_000_000) * 20]
    path = write(tmp_path, "l.csv", "\n".join(lines))
    run(capsys, "train", "--data", path, "--conditional", "--out", tmp_path / "r", "--steps", "2",
        *TINY, codes=(0,))
    assert main(["sample", "--run", str(tmp_path / "r"), "-n", "4", "--class", "5"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[0] == "x,y,label" and all(r.endswith(",5") for r in out[1:])
    line = run(capsys, "sample", "--run", tmp_path / "r", "--class", "3")
    assert "classes are 0, 5, 1000000" in line
    bad = write(tmp_path, "b.csv", "x,y,label\n0,0,0\n1,1,1e300\n")
    assert "not an integer class" in run(capsys, "train", "--data", bad, "--conditional",
                                         "--out", tmp_path / "b", *TINY)


# --- run folders ------------------------------------------------------------------------------------

def damage_checkpoint(run_dir, change):
    arrays = dict(np.load(run_dir / "checkpoint.npz", allow_pickle=False))
    change(arrays)
    checkpoint.save(run_dir / "checkpoint.npz", arrays)


@pytest.mark.parametrize("what, change, words", [
    ("no step", lambda a: a.pop("step"), "lacks step"),
    ("no rng", lambda a: a.pop("rng"), "lacks rng"),
    ("no window", lambda a: a.pop("window"), "lacks window"),
    ("no optimizer t", lambda a: a.pop("opt_d/t"), "lacks opt_d/t"),
    ("no parameter", lambda a: a.pop("G/W1"), "lacks G/W1"),
    ("wrong shape", lambda a: a.update({"D/W1": np.zeros((3, 3), np.float32)}), "D/W1: shape (3, 3)"),
    ("wrong dtype", lambda a: a.update({"G/b1": a["G/b1"].astype(np.int64)}), "G/b1: shape"),
    ("NaN weights", lambda a: a["D/W2"].__setitem__(0, np.nan), "D/W2: holds NaN"),
    ("negative step", lambda a: a.update({"step": np.array(-5)}), "step: -5 is negative"),
    ("garbled rng", lambda a: a.update({"rng": np.array("{not json")}), "rng: not a state"),
    ("foreign rng", lambda a: a.update({"rng": np.array(json.dumps({"bit_generator": "MT19937"}))}),
     "rng: not a state"),
    ("extra array", lambda a: a.update({"G/W9": np.zeros(2)}), "does not have (G/W9)"),
])
def test_a_damaged_checkpoint_is_refused_by_every_command(finished, tmp_path, capsys, what, change,
                                                          words):
    r = copy(finished, tmp_path)
    damage_checkpoint(r, change)
    before = files(r)
    for argv in (["sample", "--run", r, "-n", "3"], ["train", "--resume", r, "--steps", "2"]):
        assert words in run(capsys, *argv), what
    assert files(r) == before


def test_a_checkpoint_of_another_run_is_refused(finished, tmp_path, capsys):
    r = copy(finished, tmp_path)
    other = tmp_path / "other"
    run(capsys, "train", "--out", other, "--steps", "10", "--seed", "3", "--data", "grid25", *TINY,
        codes=(0,))
    shutil.copy(other / "checkpoint.npz", r / "checkpoint.npz")
    before = files(r)
    for argv in (["sample", "--run", r], ["train", "--resume", r], ["lab", r]):
        assert "disagree on data, seed" in run(capsys, *argv)
    assert files(r) == before                                  # config.json not rewritten


@pytest.mark.parametrize("text, words", [
    ("{not json", "Expecting property name"),
    ('{"hidden": "wide"}', "hidden: must be an integer"),
    ('{"hidden": 8, "colour": "red"}', "unknown config field(s): colour"),
    ('{"format": 99}', "format 99 is not one this minigan reads"),
    ('[1, 2]', "config.json"),
    ('{"eval_samples": 1000000000, "hidden": 8, "depth": 1}', "GiB of memory"),
])
def test_a_bad_config_json_is_refused_by_every_command(finished, tmp_path, capsys, text, words):
    r = copy(finished, tmp_path)
    (r / "config.json").write_text(text)
    before = files(r)
    for argv in (["sample", "--run", r], ["train", "--resume", r], ["lab", r]):
        assert words in run(capsys, *argv), argv
    assert files(r) == before


def test_damaged_snapshots_history_and_folders(finished, tmp_path, capsys):
    r = copy(finished, tmp_path)
    snap = r / "snapshots" / "step0000010.npz"
    snap.write_bytes(snap.read_bytes()[:100])
    assert "cannot read the run" in run(capsys, "lab", r)
    np.savez(snap, step=np.array(10), fakes=np.zeros((3, 5), np.float16))
    assert "does not fit this run's config" in run(capsys, "lab", r)
    r2 = copy(finished, tmp_path / "b")
    (r2 / "history.csv").write_text("step,d_loss\nten,abc\n")
    assert "history.csv is damaged" in run(capsys, "train", "--resume", r2, "--steps", "2")
    (r2 / "config.json").unlink()
    (r2 / "config.json").mkdir()                                # a folder where a file should be
    assert "config.json" in run(capsys, "sample", "--run", r2)


def test_runs_that_stopped_early(finished, tmp_path, capsys):
    r = copy(finished, tmp_path)
    (r / "checkpoint.npz").unlink()                            # killed before its first checkpoint
    assert "start it again with --force" in run(capsys, "train", "--out", r, *TINY)
    assert "start it again with --force" in run(capsys, "train", "--resume", r)
    r = copy(finished, tmp_path / "b")
    (r / "metrics.json").unlink()                             # killed while drawing its pictures
    run(capsys, "train", "--resume", r, "--quiet", codes=(0,))   # finishes: no step is trained
    assert json.loads((r / "metrics.json").read_text())["steps"] == 20
    nolab = tmp_path / "nolab"
    run(capsys, "train", "--out", nolab, "--steps", "10", "--no-lab", *TINY, codes=(0,))
    run(capsys, "train", "--resume", nolab, "--steps", "10", "--quiet", codes=(0,))
    assert (nolab / "metrics.json").exists() and not (nolab / "snapshots").exists()


def test_sizes_that_cannot_fit_are_refused_before_allocating(finished, tmp_path, capsys):
    assert "GiB of memory" in run(capsys, "train", "--hidden", "100000", "--out", tmp_path / "h")
    assert "draw fewer" in run(capsys, "sample", "--run", finished, "-n", "2000000000")
    assert "at most 10,000" in run(capsys, "sweep", "--seeds", "0-300000000", "--out", tmp_path / "s")
    assert "no folder" in run(capsys, "sample", "--run", finished, "--out", "/nonexistent/x.csv")
    assert "--seed must be ≥ 0" in run(capsys, "sample", "--run", finished, "--seed", "-1")
    assert not (tmp_path / "h").exists()                          # refused before any folder


def test_a_full_disk_loses_nothing(finished, tmp_path, capsys, monkeypatch):
    """The checkpoint write fails (ENOSPC): one line, the previous checkpoint intact, no .tmp."""
    r = copy(finished, tmp_path)
    before = (r / "checkpoint.npz").read_bytes()

    def full(f, **arrays):
        f.write(b"partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(checkpoint.np, "savez", full)
    assert "No space left on device" in run(capsys, "train", "--resume", r, "--steps", "10")
    assert (r / "checkpoint.npz").read_bytes() == before
    assert not list(r.rglob("*.tmp"))


def test_one_trainer_per_run_folder(finished, tmp_path, capsys):
    """A second trainer is refused with the holder named; the lock dies with its process."""
    r = copy(finished, tmp_path)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom minigan.runs.folder import locked\n"
         f"with locked({str(r)!r}):\n    print('held', flush=True)\n    time.sleep(60)\n"],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert holder.stdout.readline().strip() == "held"
        before = files(r)
        for argv in (["train", "--resume", r, "--steps", "2"],
                     ["train", "--out", r, "--force", "--steps", "2", *TINY]):
            assert f"is being trained by process {holder.pid}" in run(capsys, *argv)
        assert files(r) == before
        run(capsys, "sample", "--run", r, "-n", "2", codes=(0,))       # readers need no lock
        capsys.readouterr()
    finally:
        holder.kill()
        holder.wait()
    run(capsys, "train", "--resume", r, "--steps", "2", codes=(0,))     # killed: no stale lock


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_hypothesis_damage_ends_in_one_line(finished, tmp_path_factory, data):
    """Truncations, byte flips, deleted keys and swapped arrays of a checkpoint: `sample` exits 0
    or 2 (one line), never a traceback; the folder is left as it was."""
    r = tmp_path_factory.mktemp("h") / "run"
    shutil.copytree(finished, r)
    path = r / "checkpoint.npz"
    kind = data.draw(st.sampled_from(["truncate", "flip", "delete", "swap"]))
    if kind in ("truncate", "flip"):
        raw = bytearray(path.read_bytes())
        i = data.draw(st.integers(0, len(raw) - 1))
        raw = raw[:i] if kind == "truncate" else raw[:i] + bytes([raw[i] ^ 0xFF]) + raw[i + 1:]
        path.write_bytes(bytes(raw))
    else:
        arrays = dict(np.load(path, allow_pickle=False))
        keys = sorted(arrays)
        a = data.draw(st.sampled_from(keys))
        if kind == "delete":
            arrays.pop(a)
        else:
            b = data.draw(st.sampled_from(keys))
            arrays[a], arrays[b] = arrays[b], arrays[a]
        checkpoint.save(path, arrays)
    before = files(r)
    import contextlib
    import io
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["sample", "--run", str(r), "-n", "2"])
    lines = err.getvalue().strip().splitlines()
    assert code in (0, 2) and (code == 0 or (len(lines) == 1 and "Traceback" not in lines[0]))
    assert files(r) == before


# --- the end of a run, and Ctrl-C in a real process ------------------------------------------------

def test_every_file_describes_the_same_last_step(tmp_path, capsys):
    """--steps 25 with --eval-every 10: history.csv, the snapshots, the lab page and metrics.json
    all end at step 25; resumed to 40 it equals a run of 40 straight."""
    a, b = tmp_path / "a", tmp_path / "b"
    run(capsys, "train", "--out", a, "--steps", "25", "--eval-every", "10", *TINY, codes=(0,))
    steps = [int(r.split(",")[0]) for r in (a / "history.csv").read_text().splitlines()[1:]]
    assert steps == [0, 10, 20, 25]
    assert sorted(p.name for p in (a / "snapshots").iterdir())[-1] == "step0000025.npz"
    assert json.loads((a / "metrics.json").read_text())["steps"] == 25
    page = (a / "lab.html").read_text()
    assert "steps 0–25" in page
    typed = f"minigan train --out {a} --steps 25 --eval-every 10 " + " ".join(TINY)
    assert (a / "command.txt").read_text().splitlines() == [typed]   # the footer: as typed
    assert f"Run made by <code>{typed}</code> (run folder <code>{a}</code>)" in page
    run(capsys, "train", "--resume", a, "--steps", "15", "--quiet", codes=(0,))
    run(capsys, "train", "--out", b, "--steps", "40", "--eval-every", "10", *TINY, codes=(0,))
    assert (a / "history.csv").read_bytes() == (b / "history.csv").read_bytes()
    assert sorted(os.listdir(a / "snapshots")) == sorted(os.listdir(b / "snapshots"))


def checkpoint_step(run_dir):
    """The step of run_dir's checkpoint, or −1 (none yet, or being replaced this instant)."""
    try:
        return int(checkpoint.load(run_dir / "checkpoint.npz")["step"])
    except checkpoint.CheckpointError:
        return -1


def test_ctrl_c_at_random_moments_of_a_real_run_resumes_exactly(tmp_path):
    """SIGINT sent to a `minigan train` process at three random moments (with an evaluation and
    a snapshot every 5 steps, many land inside one); each time resumed; the result is byte for
    byte the run trained straight through (history.csv, snapshots, checkpoint arrays). Each
    signal is sent a random 0–0.15 s after the process has written a checkpoint of its own, so
    it lands in training whatever the machine's speed."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1"}
    args = ["--steps", "600", "--eval-every", "5", *TINY]
    cmd = [sys.executable, "-m", "minigan", "train"]
    assert main(["train", "--out", str(tmp_path / "straight"), *args]) == 0     # (in-process)
    rng, r, stops = np.random.default_rng(7), tmp_path / "r", [-1]
    for k in range(3):
        argv = cmd + (["--out", str(r), *args] if k == 0 else ["--resume", str(r), "--quiet"])
        # Ctrl-C as a terminal delivers it: a test runner in the background may start its
        # children with SIGINT ignored, which `minigan train` (rightly) keeps
        p = subprocess.Popen(argv, env=env, stderr=subprocess.PIPE, text=True,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        deadline = time.monotonic() + 60
        while checkpoint_step(r) <= stops[-1] and p.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)                                 # until this process has trained
        time.sleep(float(rng.uniform(0, 0.15)))
        p.send_signal(2)                                      # SIGINT, as Ctrl-C sends
        err = p.communicate(timeout=60)[1]
        assert p.returncode in (0, 130) and "Traceback" not in err, err
        if p.returncode != 130:
            break
        stops.append(checkpoint_step(r))
    if not (r / "metrics.json").exists():
        subprocess.run(cmd + ["--resume", str(r), "--quiet"], env=env, check=True, capture_output=True)
    assert len(stops) > 1, "no interrupt landed before the run ended"
    assert (r / "history.csv").read_bytes() == (tmp_path / "straight" / "history.csv").read_bytes()
    assert files(r / "snapshots") == files(tmp_path / "straight" / "snapshots")
    a = checkpoint.load(r / "checkpoint.npz")
    b = checkpoint.load(tmp_path / "straight" / "checkpoint.npz")
    assert all(np.array_equal(a[k], b[k]) for k in a if k != "seconds")
