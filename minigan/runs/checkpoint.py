"""Checkpoints: a Trainer's state as a flat dict of arrays in one .npz, written atomically
(atomic.py), read without pickle.

The layout (``arrays``; ``restore`` reads it back into a Trainer of the same config):

    format, config      "minigan-checkpoint-2", the config as JSON (config.py's format)
    step, window, rng   the step count, the loss sums since the last evaluation (Trainer.WINDOW
                        order), the random generator's state as JSON
    G/W1, D/b2, …       θ_G and θ_D
    opt_g/t, opt_d/m/W1, …       each optimizer's state (optim.py state_dict)
    sn_u/W1, sn_v/W1, …          spectral norm's u, v (--spectral-norm only)
    prev_d/W1, prev_g/W1, …      each player's previous step (--update optimistic only)
    seconds                      training time so far (minigan train adds it)
    d_updates, g_updates         each player's update count (a live session's: minigan live)

Loading uses ``allow_pickle=False``: a checkpoint can hold numbers and strings, never code.
"""
import json
import os
import zipfile

import numpy as np

from ..config import TrainConfig
from .atomic import atomic_write

FORMAT = "minigan-checkpoint-2"
# what load() accepts: 1 (minigan ≤ 0.2.0) holds the same arrays; its config, of config format 1,
# is upgraded by TrainConfig.from_dict (config.py), so an old run resumes where it stopped
READS = ("minigan-checkpoint-1", FORMAT)


class CheckpointError(ValueError):
    """A checkpoint that is missing, corrupt or not minigan's."""


def save(path, arrays):
    """Write arrays (dict name -> array) to path atomically."""
    atomic_write(path, lambda f: np.savez(f, **arrays), binary=True)


def arrays(trainer):
    """The checkpoint of a trainer: its state (Trainer.state) in the layout above."""
    state = trainer.state()
    out = {"format": np.array(FORMAT), "config": np.array(json.dumps(trainer.cfg.to_dict())),
           "step": np.array(state["step"]),
           "window": np.array([state["window"][k] for k in trainer.WINDOW]),
           "rng": np.array(json.dumps(state["rng"]))}
    for part in ("G", "D", "opt_g", "opt_d"):
        out.update({f"{part}/{k}": v for k, v in state[part].items()})
    out.update(state["D_state"])                                  # already named sn_u/W1, …
    for who, prev in state["prev"].items():
        out.update({f"prev_{who}/{k}": v for k, v in prev.items()})
    return out


def load(path):
    """dict name -> array; CheckpointError with the reason for anything that is not ours."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise CheckpointError(f"no checkpoint at {path}")
    try:
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except ValueError as e:        # numpy's advice to load "unsafely" is not for our users
        why = "it holds Python objects, which minigan never loads" if "pickle" in str(e) else str(e)
        raise CheckpointError(f"{path} is not a readable checkpoint ({why})") from None
    except (OSError, EOFError, zipfile.BadZipFile, KeyError, AttributeError) as e:
        raise CheckpointError(f"{path} is not a readable checkpoint ({type(e).__name__}: {e})") from None
    if "format" not in arrays or str(arrays["format"]) not in READS:
        found = f"format {str(arrays['format'])!r}" if "format" in arrays else "no format"
        raise CheckpointError(f"{path} is not a minigan checkpoint this version reads ({found}; "
                              f"reads {', '.join(READS)})")
    return arrays


def config_of(arrays):
    """The TrainConfig a checkpoint was written with (an older format is upgraded)."""
    try:
        return TrainConfig.from_dict(json.loads(str(arrays["config"])))
    except (KeyError, ValueError, TypeError) as e:
        raise CheckpointError(f"its config is not readable ({e})") from None


def check(trainer, given):
    """CheckpointError naming the first array that does not fit a Trainer of this config.

    The reference is what a Trainer of the same config writes: the same names (no more, no
    fewer), shapes and kinds of dtype; every number finite; the counts (step, each optimizer's
    t) ≥ 0; the random state one of the run's kind of generator."""
    expected = {k: v for k, v in arrays(trainer).items() if k not in ("format", "config")}
    got_names = set(given) - {"format", "config", "seconds", "d_updates", "g_updates"}
    missing, extra = sorted(set(expected) - got_names), sorted(got_names - set(expected))
    if missing or extra:
        what = (f"lacks {', '.join(missing[:3])}" if missing else
                f"has arrays this run does not have ({', '.join(extra[:3])})")
        raise CheckpointError(f"{what}: not a checkpoint of this run's config")
    for k, want in expected.items():
        got = np.asarray(given[k])
        if got.shape != want.shape or got.dtype.kind != want.dtype.kind:
            raise CheckpointError(f"{k}: shape {got.shape} {got.dtype}, this config has "
                                  f"{want.shape} {want.dtype}")
        if got.dtype.kind == "f" and not np.isfinite(got).all():
            raise CheckpointError(f"{k}: holds NaN or infinity")
        if (k == "step" or k.endswith("/t")) and got < 0:
            raise CheckpointError(f"{k}: {int(got)} is negative")
    seconds = given.get("seconds", 0.0)
    if np.ndim(seconds) != 0 or np.asarray(seconds).dtype.kind not in "fi" or not np.isfinite(seconds):
        raise CheckpointError("seconds: not a finite number")
    try:
        state = json.loads(str(given["rng"]))
        if state.get("bit_generator") != trainer.rng.bit_generator.state["bit_generator"]:
            raise ValueError("another kind of generator")
        type(trainer.rng.bit_generator)().state = state             # loads, or says why not
    except (ValueError, TypeError, KeyError, AttributeError) as e:
        raise CheckpointError(f"rng: not a state of the run's random generator ({e})") from None


def restore(trainer, arrays):
    """Put a checkpoint's state into a Trainer built from the same config (checked first)."""
    check(trainer, arrays)
    part = lambda prefix: {k[len(prefix) + 1:]: v for k, v in arrays.items()
                           if k.startswith(prefix + "/")}
    trainer.load_state({
        "step": int(arrays["step"]),
        "window": dict(zip(trainer.WINDOW, np.asarray(arrays["window"], np.float64).tolist())),
        "rng": json.loads(str(arrays["rng"])),
        "G": part("G"), "D": part("D"), "opt_g": part("opt_g"), "opt_d": part("opt_d"),
        "D_state": {k: v for k, v in arrays.items() if k.startswith(("sn_u/", "sn_v/"))},
        "prev": {who: part(f"prev_{who}") for who in "dg" if f"prev_{who}/W1" in arrays}})
