"""The GEMM floor of docs/perf/gemm_floor.py, timed with PyTorch's matrix product instead.

    ~/peer-venv/bin/python docs/perf/torch_gemm_floor.py --loss gan --hidden 128 --dtype float64 --threads 2

Runs gemm_floor.py itself (the same list of matrix shapes, the same timing loop) with its
matrices made torch tensors, so `x @ w` is torch.matmul on torch's BLAS. Comparing the two
floors says whether the peer is slower because of its matrix products (its BLAS) or because of
everything around them (autograd, dispatch, optimizer). Benchmark tooling, not part of minigan.
"""
import contextlib
import io
import json
import os
import runpy
import sys

import numpy as np
import torch

BENCH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gemm_floor.py")   # beside this file

if "--threads" in sys.argv:
    i = sys.argv.index("--threads")
    torch.set_num_threads(int(sys.argv[i + 1]))
    del sys.argv[i:i + 2]


class TorchRNG:
    """np.random.default_rng(0) whose standard_normal(...).astype(dt) returns a torch tensor."""

    def __init__(self, seed):
        self.rng = np.random.Generator(np.random.PCG64(seed))

    def standard_normal(self, shape):
        return TorchArray(self.rng.standard_normal(shape))


class TorchArray(np.ndarray):
    def __new__(cls, a):
        return np.asarray(a).view(cls)

    def astype(self, dt):
        return torch.from_numpy(np.asarray(self).astype(dt))


np.random.default_rng = TorchRNG          # gemm_floor.py draws its matrices from default_rng(0)
sys.argv[0] = BENCH
with contextlib.redirect_stdout(io.StringIO()) as out:
    runpy.run_path(BENCH, run_name="__main__")
result = json.loads(out.getvalue().strip().splitlines()[-1])
print(json.dumps({**result, "floor": "gemm, torch.matmul", "torch": torch.__version__,
                  "threads": torch.get_num_threads()}))
