r"""Your own data: a dataset made of the points in a .csv or .npy file (``--data points.csv``).

    points.csv   1 or 2 columns of numbers, UTF-8 (a byte-order mark is allowed), an optional
                 header row; for ``--conditional`` a column headed ``label`` holds the integer
                 class of each point (the only extra column allowed)
    points.npy   an array (N,), (N, 1) or (N, 2) of numbers (no labels: use a CSV for those)

The rules, each failure one line naming the file, the line and what is wrong (``PointsError``;
the command exits 2):

- a first row is a header only if *every* field in it is not a number; a row with some numbers
  and some words is an error (a typo must not eat a point);
- a number is what Python's ``float`` reads, except NaN, infinity and digit separators (``1_000``);
- every value must stay within √(max) of the training dtype (float32: ±1.8e19): beyond, the
  squared distances of the losses and metrics overflow;
- labels are integers from 0 to 2³¹ − 1; the classes are the distinct values (labels {0, 5} are
  two classes, named 0 and 5: ``minigan sample --class 5``);
- at most MAX_ROWS points; a .npy header is read before its data, so an array that claims more
  than the file holds, or holds objects, is refused before anything is allocated.

Training draws batches from the points uniformly with replacement — the empirical
distribution p̂ = (1/N) Σ δ(x − xᵢ) is the data distribution G learns. There is no density and
there are no modes to count, so a run on your points reports the distances that need only
samples: W1 in 1D, sliced W1 in 2D (metrics.py).
"""
import csv
import math
import os

import numpy as np

from ..data import Points

MAX_ROWS = 10_000_000           # 160 MB of float64 pairs: far beyond a toy, still fits
MAX_LABEL = 2**31 - 1


class PointsError(ValueError):
    """A data file that cannot be used; the message says what and where."""


def limit(dtype):
    """The largest |value| a point may have when training in dtype: √(max), so that squares fit."""
    return math.sqrt(float(np.finfo(dtype).max))


def _number(text, where):
    t = text.strip()
    try:
        if "_" in t:
            raise ValueError
        v = float(t)
    except ValueError:
        raise PointsError(f"{where}: {t!r} is not a number") from None
    if not math.isfinite(v):
        raise PointsError(f"{where}: {t!r} is not a finite number (NaN and inf are not points)")
    return v


def _is_number(text):
    try:
        _number(text, "")
        return True
    except PointsError:
        return False


def read_csv(path):
    """(x (N, D), labels (N,) or None) from a CSV file; PointsError for anything else."""
    if os.path.getsize(path) > 64 * MAX_ROWS:
        raise PointsError(f"{path}: {os.path.getsize(path) / 1e9:.1f} GB is more than a file of "
                          f"{MAX_ROWS:,} points can be")
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            numbered = [(i, r) for i, r in enumerate(csv.reader(f), start=1)
                        if r and any(c.strip() for c in r)]
    except UnicodeDecodeError as e:
        raise PointsError(f"{path}: not UTF-8 text (byte {e.object[e.start]:#04x} at offset "
                          f"{e.start})") from None
    except csv.Error as e:
        raise PointsError(f"{path}: not a CSV file of numbers ({e})") from None
    if not numbered:
        raise PointsError(f"{path}: no rows")
    header = None
    first_line, first = numbered[0]
    if not any(_is_number(c) for c in first):                 # every field a word: a header
        header, numbered = [c.strip() for c in first], numbered[1:]
    width = len(header) if header else len(first)
    if not numbered:
        raise PointsError(f"{path}: a header but no rows of numbers")
    if len(numbered) > MAX_ROWS:
        raise PointsError(f"{path}: {len(numbered):,} rows; at most {MAX_ROWS:,} points")
    label = header.index("label") if header and "label" in header else None
    if width - (label is not None) not in (1, 2):
        raise PointsError(f"{path}: {width - (label is not None)} data columns; expected 1 or 2 "
                          f"(plus an optional column headed 'label')")
    x, labels = [], []
    for line, row in numbered:
        if len(row) != width:
            raise PointsError(f"{path}, line {line}: {len(row)} values, expected {width} "
                              f"like the {'header' if header else 'first row'}")
        vals = [_number(c, f"{path}, line {line}, column {j + 1}") for j, c in enumerate(row)]
        if label is not None:
            k = vals.pop(label)
            if k != int(k) or not 0 <= k <= MAX_LABEL:
                raise PointsError(f"{path}, line {line}: label {row[label].strip()!r} is not an "
                                  f"integer class from 0 to {MAX_LABEL}")
            labels.append(int(k))
        x.append(vals)
    return np.array(x, np.float64), (np.array(labels, np.int64) if label is not None else None)


def read_npy(path):
    """(x (N, D), None) from a .npy array of numbers; its header is checked before its data."""
    with open(path, "rb") as f:
        try:
            version = np.lib.format.read_magic(f)
            shape, fortran, dtype = (np.lib.format.read_array_header_1_0(f) if version == (1, 0)
                                     else np.lib.format.read_array_header_2_0(f))
            offset = f.tell()
        except (ValueError, OSError, SyntaxError, TypeError) as e:
            kind = "a .npz archive, not a .npy array" if _is_zip(path) else f"not a .npy array ({e})"
            raise PointsError(f"{path}: {kind}") from None
    if dtype.hasobject or dtype.kind not in "iuf":
        raise PointsError(f"{path}: holds {dtype} values; expected numbers")
    if len(shape) not in (1, 2) or (len(shape) == 2 and shape[1] not in (1, 2)):
        raise PointsError(f"{path}: shape {shape}; expected (N,), (N, 1) or (N, 2)")
    if shape[0] == 0:
        raise PointsError(f"{path}: no rows")
    if shape[0] > MAX_ROWS:
        raise PointsError(f"{path}: {shape[0]:,} rows; at most {MAX_ROWS:,} points")
    if math.prod(shape) * dtype.itemsize > os.path.getsize(path) - offset:
        raise PointsError(f"{path}: its header claims shape {shape}, more than the file holds")
    try:
        a = np.load(path, allow_pickle=False).astype(np.float64)
    except (ValueError, OSError, EOFError) as e:
        raise PointsError(f"{path}: not a readable .npy array of numbers ({type(e).__name__})") from None
    a = a[:, None] if a.ndim == 1 else a
    if not np.isfinite(a).all():
        raise PointsError(f"{path}: row {int(np.argmax(~np.isfinite(a).all(axis=1)))} is not "
                          f"finite (NaN and inf are not points)")
    return a, None


def _is_zip(path):
    with open(path, "rb") as f:
        return f.read(4) == b"PK\x03\x04"


def load_points(path, conditional=False, dtype="float32"):
    """The Points dataset in a .csv or .npy file; PointsError with one line for a bad file.

    dtype: the training dtype, whose range bounds the values (see the module docstring)."""
    if not os.path.isfile(path):
        raise PointsError(f"{path}: no such file")
    try:
        x, labels = (read_npy if path.lower().endswith(".npy") else read_csv)(path)
    except OSError as e:
        raise PointsError(f"{path}: cannot read it ({e.strerror or e})") from None
    big = np.abs(x) > limit(dtype)
    if big.any():
        row, col = np.argwhere(big)[0]
        raise PointsError(f"{path}: point {row + 1} has {x[row, col]:g}, beyond ±{limit(dtype):.2g} "
                          f"(√ of {np.dtype(dtype).name}'s largest number: its squares would "
                          f"overflow); scale the data, or train with --dtype float64")
    if conditional and labels is None:
        raise PointsError(f"{path}: --conditional needs a CSV column headed 'label' with each "
                          f"point's integer class")
    if conditional and len(np.unique(labels)) < 2:
        raise PointsError(f"{path}: --conditional needs at least 2 classes in the 'label' column")
    name = os.path.splitext(os.path.basename(path))[0]
    return Points(x, labels if conditional else None, name=name)
