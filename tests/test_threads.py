"""The ``minigan`` command picks the BLAS thread count by the machine's load at start (every core
when quiet, one beside busy work) unless the user chose; a plain ``import minigan`` changes
nothing. Each case runs in a fresh Python process, because the BLAS
reads its thread count once, when NumPy loads it."""
import json
import os
import subprocess
import sys

import pytest

pytest.importorskip("threadpoolctl", reason="threadpoolctl (a test extra) reads the BLAS threads")

VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
BLAS_THREADS = ("import threadpoolctl; "
                "print(json.dumps([i['num_threads'] for i in threadpoolctl.threadpool_info() "
                "if i['user_api'] == 'blas']))")


def run(code, **env):
    """Run code in a fresh interpreter, environment without the thread variables plus env."""
    e = {k: v for k, v in os.environ.items() if k not in VARS}
    e.update(env)
    out = subprocess.run([sys.executable, "-c", "import json, os, sys\n" + code], env=e,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def train_and_count(tmp_path, *extra, **env):
    return run("from minigan.runs.cli import main\n"
               f"main(['train', '--steps', '2', '--eval-every', '1', '--hidden', '8', '--quiet', "
               f"'--out', {str(tmp_path / 'run')!r}, *{list(extra)!r}])\n" + BLAS_THREADS, **env)


def test_a_plain_import_sets_nothing():
    before = run("import numpy\n" + BLAS_THREADS)
    env, numpy_loaded, threads = run(
        "import minigan\nenv = [os.environ.get(v) for v in %r]\nloaded = 'numpy' in sys.modules\n"
        "minigan.MLP\nimport numpy\n" % (VARS,)
        + "import threadpoolctl\nprint(json.dumps([env, loaded, [i['num_threads'] for i in "
          "threadpoolctl.threadpool_info() if i['user_api'] == 'blas']]))")
    assert env == [None] * 3 and not numpy_loaded
    assert threads == before


def test_train_runs_with_one_blas_thread_beside_busy_work(tmp_path):
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        assert set(train_and_count(tmp_path)) == {1}
    finally:
        busy.kill()


@pytest.mark.parametrize("load, want", [(0.0, "cpus"), (0.3, "cpus"), (0.6, 1), (1.7, 1), (None, 1)])
def test_the_count_follows_the_load_at_start(load, want):
    """Quiet (other programs below half a CPU): every core; busy or unknown: one."""
    got = run(f"from minigan.runs.cli import choose_blas_threads\n"
              f"print(json.dumps([choose_blas_threads(['train'], load=lambda: {load!r}), "
              f"os.cpu_count(), os.environ['OPENBLAS_NUM_THREADS']]))")
    n = got[1] if want == "cpus" else want
    assert got[0] == n and got[2] == str(n)


def test_the_thread_count_does_not_change_the_run(tmp_path):
    """The default shapes (batch 512, width 128) with 1 and 2 BLAS threads: the same bits."""
    hist = []
    for n in ("1", "2"):
        out = tmp_path / f"t{n}"
        subprocess.run([sys.executable, "-m", "minigan", "train", "--steps", "40", "--eval-every",
                        "20", "--threads", n, "--no-lab", "--quiet", "--out", str(out)], check=True,
                       capture_output=True)
        hist.append((out / "history.csv").read_bytes())
    assert hist[0] == hist[1]


def test_the_users_choice_wins(tmp_path):
    assert set(train_and_count(tmp_path, OPENBLAS_NUM_THREADS="2")) == {2}
    assert set(train_and_count(tmp_path, "--threads", "2", "--force")) == {2}


def test_a_bad_threads_value_is_an_error_line_and_exit_2(tmp_path):
    p = subprocess.run([sys.executable, "-m", "minigan", "train", "--threads", "0", "--out",
                        str(tmp_path / "x")], capture_output=True, text=True)
    last = p.stderr.strip().splitlines()[-1]              # argparse: the usage, then one error line
    assert p.returncode == 2 and last.startswith("minigan train: error: argument --threads")
