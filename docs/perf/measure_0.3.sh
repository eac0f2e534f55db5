#!/bin/sh
# The 0.3 speed tables (issue 18, part 1: benchmark what users run), on a QUIET machine:
#
#     sh docs/perf/measure_0.3.sh            # or PYTHON=/path/to/python sh docs/perf/measure_0.3.sh
#
# minigan bench beside the PyTorch and JAX-jit peers and the GEMM ceiling (docs/perf/compare.py):
# losses gan and wgan-gp, hidden 128 and 512, float32 and float64, batch 256, depth 3, 1 thread,
# median of 3 alternating rounds (who goes first rotates), in two BLAS-kernel settings:
#
#   native   OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset, so NumPy's OpenBLAS picks its kernel
#            for this CPU (SkylakeX = AVX-512 here): what a user's machine runs.
#   haswell  OPENBLAS_CORETYPE=Haswell forces NumPy's OpenBLAS onto its AVX2 kernels, as the
#            2-core development machines did for every earlier table in docs/perf/. The issue
#            does not give those machines' OPENBLAS_L2_SIZE, so it is left unset in both settings
#            and the kernel is the only difference.
#
# Both settings are applied to all programs alike, but only NumPy reads OPENBLAS_*: minigan and
# the GEMM ceiling change kernel, PyTorch (MKL, oneDNN; its CPU capability stays AVX512) and JAX
# (XLA's own kernels) do not. Each table's header names NumPy's kernel (threadpoolctl).
#
# Threads: the `minigan` training commands use every core when the machine is quiet at start and
# one BLAS thread when it is busy (minigan/cli.py), so both are what users run: 1 thread for both
# kernel settings, and a native 2-thread table (~8 more minutes; meaningful only when nothing
# else runs on the 2 cores). The JAX peer's --threads 1 pins it to one CPU (see its docstring).
#
# Duration: about 24 minutes (~8 per table: 8 rows of ~55-65 s each). A row is one GEMM-ceiling
# run, then 3 rounds of minigan, torch, JAX (start + compile ~3-5 s each) and the ceiling, each
# run ~1-4 s timed after a 1-second check that the machine is quiet. compare.py waits (up to
# 15 min per run) whenever other programs use more than 15 % of the CPUs, so a busy machine
# makes it longer, never wrong. Writes docs/perf/compare_0.3_{native,haswell}.{json,md}.
set -eu
cd "$(dirname "$0")/../.."              # the repository root: compare.py runs this checkout
PY=${PYTHON:-python3}                   # one Python with numpy, threadpoolctl, torch, jax, optax

run() {     # run NAME [compare.py options…]: the full grid, writing compare_0.3_NAME.json/.md
    name=$1
    shift
    "$PY" docs/perf/compare.py --losses gan wgan-gp --hidden 128 512 --dtypes float32 float64 \
        --batch 256 --depth 3 --threads 1 --rounds 3 --peers torch jax --peer-python "$PY" \
        --out "docs/perf/compare_0.3_$name.json" "$@" > "docs/perf/compare_0.3_$name.md"
    cat "docs/perf/compare_0.3_$name.md"
}

run native --unset OPENBLAS_CORETYPE --unset OPENBLAS_L2_SIZE
run haswell --set OPENBLAS_CORETYPE=Haswell --unset OPENBLAS_L2_SIZE

# native with 2 threads (what a quiet 2-core machine runs)
"$PY" docs/perf/compare.py --losses gan wgan-gp --hidden 128 512 --dtypes float32 float64 \
    --batch 256 --depth 3 --threads 2 --rounds 3 --peers torch jax --peer-python "$PY" \
    --unset OPENBLAS_CORETYPE --unset OPENBLAS_L2_SIZE \
    --out docs/perf/compare_0.3_native_2threads.json > docs/perf/compare_0.3_native_2threads.md
cat docs/perf/compare_0.3_native_2threads.md
