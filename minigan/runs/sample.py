"""``minigan sample``: draw samples from a trained generator, as CSV (stdout or a file) or .npy.

The run is reopened from its folder (folder.open_run: config.json and the checkpoint, checked);
a conditional run is asked for its classes by their own label values (``--class 5``).
"""
import os
import sys

import numpy as np

from .atomic import atomic_write
from .errors import UsageError
from .folder import open_run, physical_memory


def add_sample_arguments(p):
    p.add_argument("--run", required=True, metavar="DIR", help="a run folder with a checkpoint.npz")
    p.add_argument("-n", type=int, default=1000, help="number of samples (default: 1000)")
    p.add_argument("--out", metavar="FILE", help="FILE.csv or FILE.npy (default: CSV on stdout, "
                   "unless --png is given). Columns: x (1D); x,y (2D); px0…px63 for the digits, "
                   "pixel r·8 + c of the 8 × 8 image in G's range [−1, 1] (pixel value 0–16 = "
                   "8·(px + 1)); then label for a conditional run")
    p.add_argument("--png", metavar="FILE", help="also draw the samples into FILE.png: a grid of "
                   "images for the digits (10 to a row; with --class, or in rows of one digit each "
                   "for a conditional run), the points over the data's box for the toys")
    p.add_argument("--class", dest="klass", type=int, metavar="K",
                   help="draw from class K, conditional runs only (default: each sample's class "
                        "drawn at random, in the proportions of the training data)")
    p.add_argument("--seed", type=int, default=0, help="seed of the noise (default: 0)")


def run_sample(args):
    if args.n < 1:
        raise UsageError(f"-n must be ≥ 1, got {args.n}")
    if args.seed < 0:
        raise UsageError(f"--seed must be ≥ 0, got {args.seed}")
    if args.out is not None and not args.out.endswith((".csv", ".npy")):
        raise UsageError(f"--out {args.out}: the file name must end in .csv or .npy")
    if args.png is not None and not args.png.endswith(".png"):
        raise UsageError(f"--png {args.png}: the file name must end in .png")
    for opt, path in (("--out", args.out), ("--png", args.png)):
        if path is not None and not os.path.isdir(os.path.dirname(os.path.abspath(path))):
            raise UsageError(f"{opt} {path}: no folder {os.path.dirname(path) or '.'}")
    trainer, _ = open_run(args.run)
    cfg, K = trainer.cfg, trainer.n_classes
    need = args.n * 8 * (cfg.z_dim + 3 * cfg.hidden_g + trainer.data.dim + 1)  # z, 1 layer's passes, x
    if physical_memory() and need > 0.5 * physical_memory():
        raise UsageError(f"-n {args.n}: needs about {need / 2**30:.0f} GiB of memory; draw "
                         f"fewer at a time (several seeds)")
    classes = getattr(trainer.data, "classes", np.arange(K))   # a points file's own label values
    if args.klass is not None and not K:
        raise UsageError(f"--class: the run in {args.run} is not conditional (train with --conditional)")
    if args.klass is not None and args.klass not in classes:
        raise UsageError(f"--class {args.klass}: this run's classes are "
                         f"{', '.join(str(c) for c in classes)}")
    rng = np.random.default_rng(args.seed)
    z = rng.standard_normal((args.n, cfg.z_dim), dtype=trainer.dtype)
    labels = None
    if K:
        labels = (np.full(args.n, int(np.flatnonzero(classes == args.klass)[0]))
                  if args.klass is not None else rng.choice(K, size=args.n, p=trainer.prior))
    x = trainer.generate(z, labels)
    out = x if labels is None else np.column_stack([x, classes[labels]])
    if args.png is not None:
        draw_png(trainer, x, labels, args.png)
        if args.out is None:
            return 0
    dim = trainer.data.dim
    names = ["x", "y"][:dim] if dim <= 2 else [f"px{i}" for i in range(dim)]
    header = ",".join(names + (["label"] if K else []))
    fmt = ["%.9g"] * trainer.data.dim + (["%d"] if K else [])
    if args.out is None:
        np.savetxt(sys.stdout, out, delimiter=",", header=header, comments="", fmt=fmt)
    elif args.out.endswith(".npy"):
        atomic_write(args.out, lambda f: np.save(f, out), binary=True)
    else:
        atomic_write(args.out, lambda f: np.savetxt(f, out, delimiter=",", header=header,
                                                    comments="", fmt=fmt))
    return 0


def draw_png(trainer, x, labels, path):
    """The samples as a picture: a grid of images (digits; a conditional run's sorted by the digit
    asked for), or the points over the data's box (the toys)."""
    from ..pictures import digits, plots
    if trainer.data.image_shape:
        order = np.argsort(labels, kind="stable") if labels is not None else np.arange(len(x))
        cols = min(10, len(x))
        fig = plots.figure(0.5 * cols + 0.4, 0.5 * -(-len(x) // cols) + 0.7)
        what = (f"{len(x)} samples" + ("" if labels is None else ", sorted by the digit asked for"))
        digits.draw_grid(fig.add_subplot(), x[order], cols, what)
    else:
        fig = plots.figure(7.6, 7) if trainer.data.dim == 2 else plots.figure(8, 4.8)
        plots.draw_samples(fig.add_subplot(), trainer, x, labels, arrows=False,
                           title=f"{len(x)} samples from the generator at step {trainer.step}")
    try:
        atomic_write(path, lambda f: fig.savefig(f, format="png"), binary=True)
    except OSError as err:
        raise UsageError(f"cannot write {path}: {err.strerror or err}") from None
