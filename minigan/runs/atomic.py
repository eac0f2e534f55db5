"""The one atomic write: every file of a run that must be whole or absent goes through it.

checkpoint.npz, config.json, metrics.json, the snapshots and lab.html are written to a temporary
name beside the target, flushed to disk, then renamed over it. A rename within a folder is
atomic on POSIX, so a reader — or a crash, or a full disk — leaves the old file or the new one,
never half of one, and no ``.tmp`` behind.
"""
import os


def atomic_write(path, write, binary=False):
    """Call write(f) on a temporary file beside path, then rename it over path: a reader (or a
    crash) sees the old file or the new one, never half. The temporary file is removed if
    writing fails."""
    path = os.fspath(path)
    tmp = path + ".tmp"
    try:
        with open(tmp, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8"})) as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
