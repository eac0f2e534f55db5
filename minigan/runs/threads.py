"""How many threads BLAS uses: the one place that knows the variables, the machine's load and the
rule that picks a count from it (the ``minigan`` command, the Python API, the studies' workers).

    THREAD_VARS                   the environment variables OpenBLAS, OpenMP and MKL read
    choose_blas_threads(argv)     the command line's choice, made before NumPy loads
    set_threads(n)                the Python API's (minigan.set_threads): before NumPy loads,
                                  the variables; after, threadpoolctl when it is installed
    one_thread_each()             a context in which spawned worker processes get one thread each
"""
import contextlib
import json
import os
import sys
import time

THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
# commands that train: BLAS threads by the machine's load unless the user chose (choose_blas_threads)
THREADED = ("train", "sweep", "theory", "hopping", "remedies", "live", "digits")


def other_load(seconds=0.25):
    """How many CPUs other programs keep busy now: /proc/stat sampled over `seconds` while this
    process sleeps (Linux); the 1-minute load average elsewhere; None if neither exists."""
    def snap():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return sum(v), v[3] + v[4]                              # all jiffies, idle + iowait
    try:
        t0, i0 = snap()
        time.sleep(seconds)
        t1, i1 = snap()
        return (os.cpu_count() or 1) * (1 - (i1 - i0) / max(1, t1 - t0))
    except (OSError, ValueError, IndexError):
        try:
            return os.getloadavg()[0]
        except (AttributeError, OSError):
            return None


def blas_threads_for(load, cpus):
    """The BLAS thread count for a training command given other programs' load (in CPUs).

    On a quiet machine, all cores: the default run takes 55 s with 2 threads and 64 s with one
    (our 2-core machine, alternating runs). Beside other busy work, one: BLAS threads that share a
    core with another program wait for it at every matrix product, and the same run took 165 s
    with 2 threads beside one busy-looping process against 62 s with one. Busy means other
    programs keep at least half a CPU busy; unknown load counts as busy.
    """
    return cpus if load is not None and load < 0.5 else 1


def choose_blas_threads(argv, load=other_load):
    """Set the BLAS thread count of a training command before NumPy loads its BLAS.

    ``train``, ``sweep`` and ``theory`` pick it from the machine's load at start
    (``blas_threads_for``), unless the user chose: ``--threads N``, or any of OPENBLAS/OMP/
    MKL_NUM_THREADS in the environment. The choice is made once: a machine that becomes busy
    later keeps the count chosen at start. (The thread count does not change what is computed
    here: OpenBLAS splits a product by rows and columns, never inside a sum, and the default
    run's history.csv is byte-identical with 1 and 2 threads — tests/test_threads.py.)
    OpenBLAS reads the variables once, when NumPy loads it, so this works only before NumPy is
    imported (the console script, ``python -m minigan``); called later (e.g. ``main()`` from a
    Python session that already imported NumPy) it does nothing. Returns the number it set, or
    None.
    """
    command = next((a for a in argv if not a.startswith("-")), None)
    if command not in THREADED or "numpy" in sys.modules:
        return None
    threads = None
    for i, a in enumerate(argv):
        if a == "--threads" and i + 1 < len(argv):
            threads = argv[i + 1]
        elif a.startswith("--threads="):
            threads = a.split("=", 1)[1]
    if threads is None:
        if any(v in os.environ for v in THREAD_VARS):
            return None                  # the user's environment decides
        threads = (live_threads(argv) if command == "live" else
                   str(blas_threads_for(load(), os.cpu_count() or 1)))
    if not threads.isdigit() or int(threads) < 1:
        return None                      # the parser reports the bad value
    for v in THREAD_VARS:
        os.environ[v] = threads
    return int(threads)


def live_threads(argv):
    """``minigan live``'s BLAS threads: 1, since the browser drawing the page is the other busy
    program (blas_threads_for; measured on 2 cores: 145 steps/s with 1 thread, 88 with 2); for
    ``--replay RUN``, the count RUN's session recorded (its first event), so it sums alike."""
    run = next((argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "--replay"), None)
    try:
        with open(os.path.join(run, "events.jsonl"), encoding="utf-8") as f:
            return str(int(json.loads(f.readline())["blas_threads"]))
    except (TypeError, OSError, ValueError, KeyError):
        return "1"


def set_threads(n=None, load=other_load):
    """Set the BLAS thread count of this process (the Python API's ``minigan.set_threads``).

    n: a count ≥ 1, or None for the rule ``minigan train`` uses (every core on a quiet machine,
    1 beside other busy programs: ``blas_threads_for``). Called before NumPy is imported, it sets
    the environment variables, which OpenBLAS reads once when it loads — no dependency needed.
    Called after, it uses threadpoolctl when that is installed (``pip install threadpoolctl``)
    and otherwise changes nothing. Returns the count set, or None if nothing could be set.
    """
    if n is None:
        n = blas_threads_for(load(), os.cpu_count() or 1)
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"threads: must be an integer ≥ 1 (or None), got {n!r}")
    if "numpy" not in sys.modules:
        os.environ.update({v: str(n) for v in THREAD_VARS})
        return n
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return None
    threadpool_limits(limits=n, user_api="blas")
    return n


@contextlib.contextmanager
def one_thread_each():
    """Processes spawned inside inherit one BLAS thread each (2 threads each in 2 processes on 2
    cores ran 5-10x slower, measured); the variables are put back afterwards."""
    saved = {var: os.environ.get(var) for var in THREAD_VARS}
    os.environ.update({var: "1" for var in THREAD_VARS})
    try:
        yield
    finally:
        for var, value in saved.items():
            if value is None:
                os.environ.pop(var)
            else:
                os.environ[var] = value
