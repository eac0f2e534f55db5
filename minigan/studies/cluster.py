r"""``minigan sweep --dask ADDRESS``: the runs of a sweep as the tasks of a Dask cluster.

A task is one run. The client (the machine that runs ``minigan sweep``) sends each task the
run's name, its config and, for a run an earlier sweep left unfinished, the files of its folder.
A worker trains it in a temporary folder with the code of the local path (``sweep.train_one``,
one BLAS thread) and sends back every file of the run folder as bytes, and the client writes
them to DIR/runs/NAME. So the client shares no file system with the workers, and the sweep
folder, its tables and a rerun's skipping are the same as with ``--jobs``. With ``--dask-shared
SHARED`` (a folder every machine sees at the same path) the workers train in SHARED/runs/NAME
instead, and the client copies each finished folder from there, unless SHARED is DIR itself.

A worker that dies mid-run loses that run only: the scheduler gives the task to another worker
(up to Dask's ``distributed.scheduler.allowed-failures``, 3 by default), and a task that raises
is retried ``RETRIES`` times. A task starts from what it was given, never from what an earlier
try left half-done, so a retry trains the same run (in SHARED it resumes from the last
checkpoint, which runs.py makes exact). Tasks are impure (``pure=False``): a rerun trains
again rather than reuse a result Dask remembers. Results arrive as they complete.

distributed is imported only when --dask is given: it is an optional extra,
``pip install "minigan[cluster]"``. This module does not import sweep.py (sweep imports it),
so the function that trains a run comes in as an argument. A Dask scheduler runs whatever code
its clients send: keep it on a private network, or use TLS (docs/cluster.md).
"""
import gc
import os
import shutil
import sys
import tempfile
import uuid

from .. import __version__
from ..runs.errors import UsageError
from ..runs.threads import THREAD_VARS

SCHEMES = ("tcp", "tls")
INSTALL = 'pip install "minigan[cluster]"'
RETRIES = 2                 # extra tries of a task that raised (a lost worker is Dask's own retry)
CONNECT_SECONDS = 20        # how long to try to reach the scheduler


def import_distributed():
    """The distributed package, or one line saying how to install it."""
    try:
        import distributed
    except ImportError:
        raise UsageError(f"--dask needs Dask's distributed package: {INSTALL}") from None
    return distributed


def check_options(address, shared):
    """UsageError for an address that is not tcp:// or tls://, a missing distributed package or
    a --dask-shared folder that does not exist here."""
    scheme, sep, rest = address.partition("://")
    if not sep or scheme not in SCHEMES or not rest:
        raise UsageError(f"--dask {address}: expected the scheduler's address as tcp://HOST:PORT "
                         f"or tls://HOST:PORT, e.g. tcp://192.168.1.10:8786")
    import_distributed()
    if shared is not None and not os.path.isdir(shared):
        raise UsageError(f"--dask-shared {shared}: no such folder here (it must exist at this same "
                         f"path on this machine and on every worker)")


def connect(address):
    """A distributed.Client of the scheduler at address whose workers all run our minigan and
    NumPy; UsageError if it cannot be reached. Use it in a with block: it disconnects at the end."""
    distributed = import_distributed()
    client, problem = None, None
    try:
        client = distributed.Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TypeError, ValueError) as e:     # TypeError: tls:// without certificates
        problem = str(e)
    if client is None:     # raised out here, once the half-made Client is collected: inside the
        gc.collect()       # except block its traceback keeps it, and it closes noisily at exit
        raise UsageError(f"--dask {address}: cannot connect to the scheduler: {problem}")
    try:
        check_versions(client)
    except UsageError:
        client.close()
        raise
    return client


def versions():
    """(minigan version, NumPy version) of the process it runs in; run on every worker."""
    import numpy
    return __version__, numpy.__version__


def check_versions(client):
    """UsageError unless every worker has this machine's minigan and NumPy: a run computes the
    same bits only with the same code and NumPy build (a worker that joins later is not checked)."""
    try:
        theirs = client.run(versions)          # {worker address: (minigan, NumPy)}
    except Exception as e:                     # e.g. ModuleNotFoundError: a worker without minigan
        raise UsageError(f"the Dask workers cannot run minigan ({type(e).__name__}: {e}); "
                         f"install it on every worker: {INSTALL}") from None
    ours = versions()
    for worker, v in sorted(theirs.items()):
        if tuple(v) != ours:
            raise UsageError(f"Dask worker {worker} has minigan {v[0]} and NumPy {v[1]}, this "
                             f"machine {ours[0]} and {ours[1]}: install the same versions on "
                             f"every machine, or the runs differ by machine (docs/cluster.md)")


def worker_threads(client):
    """How many runs the cluster trains at once now: the sum of its workers' threads."""
    return sum(client.nthreads().values())


# --- on the worker -------------------------------------------------------------------------------

def one_blas_thread():
    """Limit this worker's BLAS to one thread, as the local path does; a note if it cannot.

    The local path sets OPENBLAS_NUM_THREADS and the like before its workers load NumPy. A Dask
    worker has loaded NumPy already, and BLAS reads those variables once, at load; threadpoolctl
    changes the thread count of a loaded BLAS. The limit is left in place: two tasks running at
    once in one worker (--nthreads 2) must not undo each other's.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        if all(os.environ.get(v) == "1" for v in THREAD_VARS):
            return None                         # the worker was started with one thread
        return ("a Dask worker has no threadpoolctl, so its BLAS keeps the threads it started "
                "with: start workers with OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 "
                "MKL_NUM_THREADS=1, or pip install threadpoolctl there (docs/cluster.md)")
    threadpool_limits(limits=1)
    return None


def read_tree(root):
    """Every file under root, {relative path with / separators: bytes}: the whole run folder
    (config.json, history.csv, checkpoint.npz, the pictures, snapshots/, …), whatever it holds."""
    files = {}
    for folder, _, names in os.walk(root):
        for name in sorted(names):
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                files[os.path.relpath(path, root).replace(os.sep, "/")] = f.read()
    return files


def write_tree(root, files):
    """Write read_tree's {relative path: bytes} under root. metrics.json goes last: the sweep
    takes a folder holding it as a finished run, so it must not appear before the rest."""
    for rel in sorted(files, key=lambda rel: rel == "metrics.json"):
        parts = rel.split("/")
        if rel.startswith("/") or ".." in parts:
            raise ValueError(f"a run's file outside its folder: {rel!r}")
        path = os.path.join(root, *parts)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(files[rel])


def run_task(train_one, name, cfg, files, shared):
    """One run, on a Dask worker: {"code", "messages", "seconds", "files", "note"}.

    files: the run folder as the client had it (an unfinished run), or None. The run starts
    from exactly these, so a second try of the task trains the same run as the first.
    With shared (--dask-shared) the run stays in shared/runs/NAME and "files" is None.
    """
    note = one_blas_thread()
    with tempfile.TemporaryDirectory(prefix="minigan-") as work:      # unused with shared
        run_dir = os.path.join(shared, "runs", name) if shared else os.path.join(work, name)
        if files is not None:
            shutil.rmtree(run_dir, ignore_errors=True)
            write_tree(run_dir, files)
        _, code, messages, seconds = train_one((run_dir, cfg))
        return {"code": code, "messages": messages, "seconds": seconds, "note": note,
                "files": None if shared else read_tree(run_dir)}


# --- on the client -------------------------------------------------------------------------------

def same_folder(a, b):
    return os.path.exists(a) and os.path.exists(b) and os.path.samefile(a, b)


def given_files(run_dir, shared):
    """The files of an unfinished run folder here, for its task to resume from; None if there is
    no checkpoint, or if the workers train in this very folder (--dask-shared is the sweep's)."""
    if not os.path.exists(os.path.join(run_dir, "checkpoint.npz")):
        return None
    if shared and same_folder(os.path.dirname(run_dir), os.path.join(shared, "runs")):
        return None
    return read_tree(run_dir)


def save(run_dir, result, shared):
    """Put a task's run folder where the local path leaves it: the sweep's DIR/runs/NAME."""
    if not shared:
        write_tree(run_dir, result["files"])
        return
    source = os.path.join(shared, "runs", os.path.basename(run_dir))
    if not same_folder(source, run_dir):
        write_tree(run_dir, read_tree(source))


def run_all(client, todo, report, train_one, shared=None):
    """Train every (run_dir, cfg) of todo as a task; as each completes, save its folder and
    report((run_dir, exit code, messages, seconds)), like the local path's workers."""
    distributed = import_distributed()
    if shared is not None:
        shared = os.path.abspath(shared)      # sent to workers, whose working folder is not ours
    futures, noted = {}, False
    for run_dir, cfg in todo:
        name = os.path.basename(run_dir)
        future = client.submit(run_task, train_one, name, cfg, given_files(run_dir, shared), shared,
                               key=f"minigan-{name}-{uuid.uuid4().hex[:8]}", pure=False,
                               retries=RETRIES)
        futures[future] = run_dir
    try:
        for future in distributed.as_completed(list(futures), loop=client.loop):
            run_dir = futures[future]
            try:
                result = future.result()
            except Exception as e:        # it raised on every try, or killed worker after worker
                report((run_dir, 1, f"{type(e).__name__}: {e}", 0.0))
                continue
            save(run_dir, result, shared)
            if result["note"] and not noted:
                print(f"minigan sweep: note: {result['note']}", file=sys.stderr, flush=True)
                noted = True
            report((run_dir, result["code"], result["messages"], result["seconds"]))
    finally:                              # (Ctrl-C) no task goes on for a client that has gone
        client.cancel(list(futures))
