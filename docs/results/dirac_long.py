"""Lesson 8's long run: the Dirac-GAN's alternating steps from (1, 1), 2,500 times as long as the
2,000 steps the lesson draws (5 million steps), and how far the orbit has crept out.

    python docs/results/dirac_long.py          # writes docs/results/dirac-long.json (~2 min)

The steps are `minigan.theory.dirac.trajectory`'s own, taken in chunks (each chunk starts where
the last ended, so the path is bit for bit one run of 5 million steps) to keep the memory small.
tests/test_prose_numbers.py checks lesson 8's sentence against the JSON.
"""
import json
import os
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
CHUNK = 100_000


def main():
    import minigan
    from minigan.theory import dirac
    steps = 2500 * dirac.N_STEPS
    t0, x = time.time(), np.array(dirac.START, dtype=float)
    record = {0: float(np.hypot(*x))}
    lo = hi = record[0]
    for done in range(0, steps, CHUNK):
        path = dirac.trajectory("GAN", "alt", start=x, n=min(CHUNK, steps - done))
        d = dirac.distance(path)
        lo, hi, x = min(lo, float(d.min())), max(hi, float(d.max())), path[-1]
        record[done + len(path) - 1] = float(d[-1])
    out = {"method": "GAN", "mode": "alt", "start": list(dirac.START), "h": dirac.H,
           "steps": steps, "distance_end": record[steps], "distance_min": lo,
           "distance_max": hi, "distance_every_100000_steps": record,
           "seconds": round(time.time() - t0, 1), "minigan": minigan.__version__}
    path = os.path.join(HERE, "dirac-long.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print({k: v for k, v in out.items() if k != "distance_every_100000_steps"})


if __name__ == "__main__":
    main()
