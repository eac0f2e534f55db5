r"""Keep freed memory in the process between training steps, instead of faulting it back in.

One training step allocates a few MB of activations (an (N, H) array per layer, for the real,
fake and interpolated batches) and frees them all when it ends. With glibc's default settings
that memory goes back to the kernel after every step, by two routes:

- arrays above the mmap threshold (128 KB at first, e.g. a 256 × 128 float64 activation) get
  their own ``mmap`` and are unmapped when freed;
- the top of the heap is trimmed as soon as more than about twice the largest recently freed
  block sits free there, which every finished step leaves behind.

Either way the next step pays a page fault for the first touch of every 4 KB page. Measured on
a 2-core VM with the benchmark workload (``minigan bench``, batch 256, float64, 2 BLAS
threads): ~1,100 faults per iteration at hidden 128 (about a third of its time) and ~42,000 for
wgan-gp at hidden 512.

``keep_freed_memory()`` asks glibc (``mallopt``) to keep a 64 MB pad at the top of the heap
(``M_TOP_PAD``) and to serve arrays of up to 32 MB, glibc's largest setting, from the heap
(``M_MMAP_THRESHOLD``): 0 faults per iteration in both workloads above. It costs address space,
and memory only once touched: the peak resident size of those runs did not change. It is the
in-process form of ``MALLOC_TOP_PAD_=67108864 MALLOC_MMAP_THRESHOLD_=33554432``, and a no-op
where the C library has no ``mallopt`` (macOS, Windows). It changes how fast memory is reused,
never what is computed. The training commands (``minigan train``, ``sweep``, ``bench``) call it
once at start; a library import does not: it is a setting of the whole process.

Does it pay for itself (docs/perf/tricks.md)? On ``minigan bench``'s gan-128 float32 row it made
a step ≥ 1.17× faster in every alternating round of two sittings (medians 1.28× and 1.32×); on
wgan-gp-128 float64 it cost about 10 % (medians 0.92× and 0.84×).
"""
import ctypes
import ctypes.util

M_TOP_PAD, M_MMAP_THRESHOLD = -2, -3   # mallopt's parameter numbers (glibc's <malloc.h>)
TOP_PAD = 64 << 20                     # bytes kept at the top of the heap when memory is freed
MMAP_THRESHOLD = 32 << 20              # allocations below this come from the heap (glibc's max)


def keep_freed_memory(pad=TOP_PAD, mmap_threshold=MMAP_THRESHOLD):
    """Ask malloc to keep freed memory for reuse (see the module docstring). True if applied."""
    try:
        mallopt = ctypes.CDLL(ctypes.util.find_library("c")).mallopt
    except (OSError, AttributeError, TypeError):    # no C library found, or no mallopt in it
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    top = mallopt(M_TOP_PAD, int(pad)) == 1                       # mallopt returns 1 on success
    mmap = mallopt(M_MMAP_THRESHOLD, int(mmap_threshold)) == 1
    return top and mmap
