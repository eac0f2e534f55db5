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
    p.add_argument("--out", metavar="FILE", help="FILE.csv or FILE.npy (default: CSV on stdout)")
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
    if args.out is not None and not os.path.isdir(os.path.dirname(os.path.abspath(args.out))):
        raise UsageError(f"--out {args.out}: no folder {os.path.dirname(args.out) or '.'}")
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
    header = ",".join(["x", "y"][:trainer.data.dim] + (["label"] if K else []))
    fmt = ["%.9g"] * trainer.data.dim + (["%d"] if K else [])
    if args.out is None:
        np.savetxt(sys.stdout, out, delimiter=",", header=header, comments="", fmt=fmt)
    elif args.out.endswith(".npy"):
        atomic_write(args.out, lambda f: np.save(f, out), binary=True)
    else:
        atomic_write(args.out, lambda f: np.savetxt(f, out, delimiter=",", header=header,
                                                    comments="", fmt=fmt))
    return 0
