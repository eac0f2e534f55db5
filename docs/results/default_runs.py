"""The README's default-run table: `minigan train --seed S` for seeds 0–4, one row per seed.

    python docs/results/default_runs.py            # writes docs/results/default-runs.csv

Each run: the default config, one BLAS thread, two runs at a time, no lab page (it changes no
number). tests/test_prose_numbers.py checks the README's table against the CSV.
"""
import csv
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = range(5)


def one(seed, work):
    out = os.path.join(work, f"seed{seed}")
    subprocess.run([sys.executable, "-m", "minigan", "train", "--seed", str(seed), "--threads", "1",
                    "--no-lab", "--quiet", "--out", out], check=True, capture_output=True)
    with open(os.path.join(out, "metrics.json")) as f:
        m = json.load(f)
    return {"seed": seed, "modes_captured": m["modes_captured"], "modes_total": m["modes_total"],
            "high_quality_pct": round(100 * m["high_quality_frac"], 2), "seconds": m["seconds"]}


def main():
    import minigan
    with tempfile.TemporaryDirectory() as work, ThreadPoolExecutor(2) as pool:
        rows = list(pool.map(lambda s: one(s, work), SEEDS))
    path = os.path.join(HERE, "default-runs.csv")
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, [*rows[0], "minigan"])
        w.writeheader()
        w.writerows({**r, "minigan": minigan.__version__} for r in rows)
    print(open(path).read())


if __name__ == "__main__":
    main()
