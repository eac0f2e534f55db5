r"""What the lab page replays: one snapshot of G and D per evaluation, streamed to RUN/snapshots/.

At every evaluation (every ``eval_every`` steps, where history.csv gets its row) the run records

    fakes     (S, dim)        G on the first S = 500 of the fixed evaluation noise (1D: all of it)
    push      (S, dim)        −∇ₓ of G's loss at each of those fakes (plots.push)
    field     (F, F) or (L,)  D over the plotting box: D(x) for gan/nsgan, the raw output otherwise
    mesh_x    (…, dim)        G's manifold: the image of the z grid (zspace.mode_map)
    mesh_mode (…)             the mode each grid point reaches (−1: none)

as float16 (int8 for modes): about 17 KB per snapshot for the default run. An image run (digits)
records only ``grid`` (100, 64) uint8: G's fixed grid (digits.fixed_grid) as pixels 0–16. The
run folder keeps them in ``snapshots/step0000250.npz`` (runs/folder.py writes, lists and truncates them).
Recording reads G and D and draws nothing from the run's random generator: a run with snapshots
trains bit for bit as one without (tested).
"""
import numpy as np

from ..data import to_pixels
from . import digits
from .plots import d_surface, push
from .zspace import mode_map

SHOWN = 500        # fakes and arrows per snapshot (2D)
FIELD = 64         # D's field: grid points per axis (2D)


def record(trainer):
    """The snapshot of G and D now: a dict of small arrays (see the module docstring).
    Images (digits): G's fixed grid as pixels 0–16 (uint8), no field, arrows or manifold — D's
    input has 64 coordinates, so there is no plane to draw them on."""
    if trainer.data.image_shape:
        x = digits.fixed_grid(trainer)
        return {"step": np.array(trainer.step), "grid": np.rint(to_pixels(x)).astype(np.uint8)}
    n = len(trainer.z_eval) if trainer.data.dim == 1 else SHOWN
    labels = None if trainer.labels_eval is None else trainer.labels_eval[:n]
    x = trainer.generate(trainer.z_eval[:n], labels)
    field = d_surface(trainer, FIELD)[-1]
    mesh = mode_map(trainer)
    out = {"step": np.array(trainer.step), "fakes": x, "push": push(trainer, x, labels),
           "field": field, "mesh_x": mesh["x"], "mesh_mode": mesh["mode"]}
    if labels is not None:
        out["labels"] = labels.astype(np.int16)
    with np.errstate(over="ignore"):       # beyond float16's 65504: inf, which the page clips
        return {k: v.astype(np.float16) if v.dtype.kind == "f" else v for k, v in out.items()}
