"""Checkpoints: a flat dict of arrays in one .npz, written atomically, read without pickle.

Atomic: the arrays go to ``checkpoint.npz.tmp`` in the same folder, which is flushed to disk
and then renamed over ``checkpoint.npz``; a rename within a folder is atomic on POSIX, so a
crash mid-write leaves the previous checkpoint intact. Loading uses ``allow_pickle=False``:
a checkpoint can hold numbers and strings, never code.
"""
import os
import zipfile

import numpy as np

FORMAT = "minigan-checkpoint-2"
# what load() accepts: 1 (minigan ≤ 0.2.0) holds the same arrays; its config, of config format 1,
# is upgraded by TrainConfig.from_dict (config.py), so an old run resumes where it stopped
READS = ("minigan-checkpoint-1", FORMAT)


class CheckpointError(ValueError):
    """A checkpoint that is missing, corrupt or not minigan's."""


def save(path, arrays):
    """Write arrays (dict name -> array) to path atomically."""
    path = os.fspath(path)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        np.savez(f, **arrays)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def load(path):
    """dict name -> array; CheckpointError with the reason for anything that is not ours."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise CheckpointError(f"no checkpoint at {path}")
    try:
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError) as e:
        raise CheckpointError(f"{path} is not a readable checkpoint ({type(e).__name__}: {e})") from None
    if "format" not in arrays or str(arrays["format"]) not in READS:
        found = f"format {str(arrays['format'])!r}" if "format" in arrays else "no format"
        raise CheckpointError(f"{path} is not a minigan checkpoint this version reads ({found}; "
                              f"reads {', '.join(READS)})")
    return arrays
