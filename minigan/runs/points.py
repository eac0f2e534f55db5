r"""Your own data: a dataset made of the points in a .csv or .npy file (``--data points.csv``).

    points.csv   1 or 2 columns of numbers, an optional header row; for ``--conditional`` a
                 column headed ``label`` holds the integer class of each point (the only extra
                 column allowed)
    points.npy   an array (N,), (N, 1) or (N, 2) of numbers (no labels: use a CSV for those)

Training draws batches from the points uniformly with replacement — the empirical
distribution p̂ = (1/N) Σ δ(x − xᵢ) is the data distribution G learns. There is no density and
there are no modes to count, so a run on your points reports the distances that need only
samples: W1 in 1D, sliced W1 in 2D (metrics.py). A bad file gets one line naming what is wrong
and where (``PointsError``); the command exits 2.
"""
import csv
import math
import os

import numpy as np

from ..data import Points



class PointsError(ValueError):
    """A data file that cannot be used; the message says what and where."""


def _number(text, where):
    try:
        v = float(text)
    except ValueError:
        raise PointsError(f"{where}: {text.strip()!r} is not a number") from None
    if not math.isfinite(v):
        raise PointsError(f"{where}: {text.strip()!r} is not a finite number (NaN and inf are "
                          f"not points)")
    return v


def read_csv(path):
    """(x (N, D), labels (N,) or None) from a CSV file; PointsError for anything else."""
    with open(path, newline="") as f:
        rows = [r for r in csv.reader(f) if r and any(c.strip() for c in r)]
    if not rows:
        raise PointsError(f"{path}: no rows")
    header = None
    try:
        [float(c) for c in rows[0]]
    except ValueError:
        header, rows = [c.strip() for c in rows[0]], rows[1:]
    width = len(header) if header else len(rows[0]) if rows else 0
    if not rows:
        raise PointsError(f"{path}: a header but no rows of numbers")
    label = header.index("label") if header and "label" in header else None
    if width - (label is not None) not in (1, 2):
        raise PointsError(f"{path}: {width - (label is not None)} data columns; expected 1 or 2 "
                          f"(plus an optional column headed 'label')")
    first = 2 if header else 1
    x, labels = [], []
    for i, row in enumerate(rows):
        line = i + first
        if len(row) != width:
            raise PointsError(f"{path}, line {line}: {len(row)} values, expected {width} "
                              f"like the {'header' if header else 'first row'}")
        vals = [_number(c, f"{path}, line {line}, column {j + 1}") for j, c in enumerate(row)]
        if label is not None:
            k = vals.pop(label)
            if k != int(k) or k < 0:
                raise PointsError(f"{path}, line {line}: label {row[label].strip()!r} is not an "
                                  f"integer class ≥ 0")
            labels.append(int(k))
        x.append(vals)
    return np.array(x, np.float64), (np.array(labels, np.int64) if label is not None else None)


def read_npy(path):
    """(x (N, D), None) from a .npy array of numbers."""
    try:
        a = np.load(path, allow_pickle=False)
    except (ValueError, OSError) as e:
        raise PointsError(f"{path}: not a readable .npy array of numbers ({e})") from None
    if a.dtype.kind not in "iuf":
        raise PointsError(f"{path}: holds {a.dtype} values; expected numbers")
    a = a.astype(np.float64)
    a = a[:, None] if a.ndim == 1 else a
    if a.ndim != 2 or a.shape[1] not in (1, 2):
        raise PointsError(f"{path}: shape {a.shape}; expected (N,), (N, 1) or (N, 2)")
    if len(a) == 0:
        raise PointsError(f"{path}: no rows")
    if not np.isfinite(a).all():
        raise PointsError(f"{path}: row {int(np.argmax(~np.isfinite(a).all(axis=1)))} is not "
                          f"finite (NaN and inf are not points)")
    return a, None


def load_points(path, conditional=False):
    """The Points dataset in a .csv or .npy file; PointsError with one line for a bad file."""
    if not os.path.isfile(path):
        raise PointsError(f"{path}: no such file")
    x, labels = (read_npy if path.lower().endswith(".npy") else read_csv)(path)
    if conditional and labels is None:
        raise PointsError(f"{path}: --conditional needs a CSV column headed 'label' with each "
                          f"point's integer class")
    if conditional and len(np.unique(labels)) < 2:
        raise PointsError(f"{path}: --conditional needs at least 2 classes in the 'label' column")
    name = os.path.splitext(os.path.basename(path))[0]
    return Points(x, labels if conditional else None, name=name)
