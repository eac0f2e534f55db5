"""The Python API beside one busy core: `minigan.set_threads()` against NumPy's default threads.

    python docs/perf/threads_api.py --steps 1500 --rounds 3 --out docs/perf/threads_api.json

Each measurement is a fresh Python process that trains the default config (ring8, nsgan,
128 × 3, batch 512) for --steps iterations with ``fit`` while another process busy-loops on one
core. "default": NumPy as imported (OpenBLAS takes every core); "set_threads": the script calls
``minigan.set_threads()`` before importing NumPy, the rule ``minigan train`` uses. The variants
alternate within each round; the JSON keeps every time and the medians.
"""
import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import time

CHILD = """
import sys, time
if sys.argv[1] == "set_threads":
    import minigan
    print("threads", minigan.set_threads(), file=sys.stderr)
from minigan.config import TrainConfig
from minigan.train import Trainer, fit
t = Trainer(TrainConfig())
t0 = time.perf_counter()
fit(t, int(sys.argv[2]), every=10**9, evaluate_first=False)
print(time.perf_counter() - t0)
"""


def busy(stop):
    while not stop.is_set():
        pass


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--steps", type=int, default=1500)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--out", default=None)
    a = p.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    stop = multiprocessing.Event()
    hog = multiprocessing.Process(target=busy, args=(stop,))
    hog.start()
    time.sleep(1.0)
    times = {"default": [], "set_threads": []}
    try:
        for r in range(a.rounds):
            order = ["default", "set_threads"] if r % 2 == 0 else ["set_threads", "default"]
            for variant in order:
                out = subprocess.run([sys.executable, "-c", CHILD, variant, str(a.steps)], env=env,
                                     capture_output=True, text=True, check=True)
                times[variant].append(float(out.stdout.strip().splitlines()[-1]))
                print(variant, f"{times[variant][-1]:.1f} s", out.stderr.strip(), flush=True)
    finally:
        stop.set()
        hog.join()
    result = {"steps": a.steps, "cpus": os.cpu_count(), "busy_cores_beside": 1,
              "date": time.strftime("%Y-%m-%d"), "seconds": times,
              "median": {k: statistics.median(v) for k, v in times.items()}}
    print(json.dumps(result["median"]))
    if a.out:
        with open(a.out, "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
