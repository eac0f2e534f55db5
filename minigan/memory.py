r"""Keep freed memory in the process between training steps, instead of faulting it back in.

One training step allocates a few MB of activations (an (N, H) array per layer, for the real,
fake and interpolated batches) and frees them all when it ends. By default glibc's malloc gives
memory back to the kernel as soon as more than about twice the largest recently freed block sits
free at the top of the heap, which every finished step leaves behind; the next step then pays a
page fault for the first touch of every 4 KB page. Measured on a 2-core VM with the benchmark
workload (``minigan bench``, hidden 128, batch 256, float64, one BLAS thread): ~1,000 faults
per iteration, about 30 % of its time; with the pad below, none.

``keep_freed_memory()`` asks glibc to keep a 64 MB pad at the top of the heap (``M_TOP_PAD``;
address space only, it costs memory only once touched). It is the in-process form of the
environment variable ``MALLOC_TOP_PAD_=67108864``, and a no-op where the C library has no
``mallopt`` (macOS, Windows). It changes how fast memory is reused, never what is computed.
"""
import ctypes
import ctypes.util

M_TOP_PAD = -2            # mallopt's parameter number for the top pad (glibc's <malloc.h>)
TOP_PAD = 64 << 20        # bytes kept at the top of the heap when memory is freed


def keep_freed_memory(pad=TOP_PAD):
    """Ask malloc to keep ``pad`` bytes of freed memory at the top of the heap. True if applied."""
    try:
        mallopt = ctypes.CDLL(ctypes.util.find_library("c")).mallopt
    except (OSError, AttributeError, TypeError):    # no C library found, or no mallopt in it
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return mallopt(M_TOP_PAD, int(pad)) == 1
