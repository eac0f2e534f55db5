r"""``minigan bench``: iterations per second of the training step, the workload of the PyTorch peer.

One *iteration* is what ``Trainer.train_step`` does — n_critic D updates, then one G update —
on the workload of ``docs/perf/torch_peer.py``, so the two can be timed side by side:

    peer        minigan TrainConfig                                     optimizer (both players)
    gan         loss="nsgan", k = 1 (BCE for D, non-saturating G)         Adam 2e-4, β = (0.5, 0.999)
    wgan        loss="wgan",  k = 5, weights clipped to ±0.01            RMSProp 5e-5
    wgan-gp     loss="wgan-gp", k = 5, gp = 10 (the paper's λ)           Adam 1e-4, β = (0.5, 0.9)

G: z_dim → hidden × depth → 2, D: 2 → hidden × depth → 1, ReLU, data ring8 (radius 2, std 0.02).
The timed code is ``trainer.train_step()`` itself — the path ``minigan train`` runs — after
``--warmup`` untimed iterations. Cost per iteration is O(B·H²·depth) (the matrix products);
on small nets the fixed per-operation overhead of Python and NumPy matters too (docs/perf/).

The BLAS thread count is read with threadpoolctl when it is installed (an optional import, not
a dependency); otherwise the environment variables that set it are reported.
"""
import json
import os
import platform
import time

import numpy as np

from ..config import BENCH_WORKLOADS, TrainConfig
from .errors import UsageError
from .folder import check_fits
from .threads import THREAD_VARS

def add_bench_arguments(p):
    p.add_argument("--loss", choices=list(BENCH_WORKLOADS), default="gan",
                   help="workload of the torch peer, gan = nsgan with BCE D loss (default: gan)")
    p.add_argument("--hidden", type=int, default=128, help="width of every hidden layer (default: 128)")
    p.add_argument("--depth", type=int, default=3, help="hidden layers in G and in D (default: 3)")
    p.add_argument("--batch", type=int, default=256, help="samples per batch (default: 256)")
    p.add_argument("--z-dim", dest="z_dim", type=int, default=2, help="noise dimension (default: 2)")
    p.add_argument("--iters", type=int, default=200, help="timed iterations (default: 200)")
    p.add_argument("--warmup", type=int, default=20, help="untimed iterations first (default: 20)")
    p.add_argument("--dtype", choices=["float32", "float64"], default="float64",
                   help="float32 or float64, end to end (default: float64, as the peer's)")
    p.add_argument("--threads", type=int, default=0,
                   help="limit the BLAS threads, needs threadpoolctl; 0 = leave as set by the "
                        "environment, e.g. OPENBLAS_NUM_THREADS (default: 0)")
    p.add_argument("--seed", type=int, default=0, help="seed of the run (default: 0)")
    p.add_argument("--default-malloc", action="store_true",
                   help="leave the C allocator at its defaults instead of minigan.memory."
                        "keep_freed_memory(), to measure what that setting is worth")
    p.add_argument("--json", action="store_true", help="print one JSON line instead of a sentence")


def bench_config(loss, hidden, depth, batch, z_dim, dtype, seed=0):
    """The TrainConfig of the peer's workload (see the module docstring)."""
    return TrainConfig(data="ring8", activation="relu", hidden=hidden, depth=depth, batch=batch,
                       z_dim=z_dim, dtype=dtype, seed=seed, eval_samples=64,
                       **BENCH_WORKLOADS[loss])


def blas_info():
    """{'threads', 'blas', 'blas_version', 'blas_arch', 'source'}: what runs the matrix products."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        threadpool_info = None
    if threadpool_info is not None:
        pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
        if pools:
            p = pools[0]
            return {"threads": p.get("num_threads"), "blas": p.get("internal_api"),
                    "blas_version": p.get("version"), "blas_arch": p.get("architecture"),
                    "source": "threadpoolctl"}
    env = {k: os.environ[k] for k in THREAD_VARS if k in os.environ}
    blas = None
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    except Exception:               # older NumPy: no dicts mode; the name is a nicety only
        pass
    return {"threads": env.get("OPENBLAS_NUM_THREADS") or env.get("OMP_NUM_THREADS") or "default",
            "blas": blas.get("name") if blas else None,
            "blas_version": blas.get("version") if blas else None,
            "blas_arch": os.environ.get("OPENBLAS_CORETYPE"), "source": "environment"}


def time_training(trainer, iters, warmup):
    """Seconds for ``iters`` calls of trainer.train_step() after ``warmup`` untimed ones."""
    for _ in range(warmup):
        trainer.train_step()
    t0 = time.perf_counter()
    for _ in range(iters):
        trainer.train_step()
    return time.perf_counter() - t0


def _limit_threads(n):
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        raise UsageError("--threads needs threadpoolctl (pip install threadpoolctl); or set "
                         "OPENBLAS_NUM_THREADS / OMP_NUM_THREADS before starting") from None
    return threadpool_limits(limits=n, user_api="blas")


def run_bench(args):
    for name in ("hidden", "depth", "batch", "z_dim", "iters"):
        if getattr(args, name) < 1:
            raise UsageError(f"--{name.replace('_', '-')} must be ≥ 1, got {getattr(args, name)}")
    if args.warmup < 0 or args.threads < 0:
        raise UsageError("--warmup and --threads must be ≥ 0")
    limiter = _limit_threads(args.threads) if args.threads else None
    try:
        cfg = bench_config(args.loss, args.hidden, args.depth, args.batch, args.z_dim,
                           args.dtype, args.seed).resolved()
        check_fits(cfg)
        from ..train import Trainer          # imported here: `minigan --help` stays light
        trainer = Trainer(cfg)
        seconds = time_training(trainer, args.iters, args.warmup)
        info = blas_info()
    finally:
        if limiter is not None:
            limiter.restore_original_limits()
    r = trainer.cfg
    out = {"bench": "minigan", "loss": args.loss, "minigan_loss": r.loss, "n_critic": r.k,
           "hidden": args.hidden, "depth": args.depth, "batch": args.batch, "z_dim": args.z_dim,
           "dtype": args.dtype, "iters": args.iters, "warmup": args.warmup,
           "seconds": seconds, "iters_per_s": args.iters / seconds,
           "malloc": "default" if args.default_malloc else "keep_freed_memory",
           **info, "numpy": np.__version__, "python": platform.python_version()}
    if args.json:
        print(json.dumps(out))
    else:
        print(f"minigan bench: {args.loss} (k = {r.k}), hidden {args.hidden} × depth "
              f"{args.depth}, batch {args.batch}, {args.dtype}: {out['iters_per_s']:.1f} "
              f"iterations/s ({args.iters} in {seconds:.2f} s after {args.warmup} warm-up)\n"
              f"  {info['threads']} BLAS thread(s), {info['blas']} {info['blas_version']} "
              f"({info['blas_arch']}), numpy {np.__version__}, malloc: {out['malloc']}")
    return 0
