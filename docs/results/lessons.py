"""What the lessons print: every demos/NN_*.py run in full and in fast mode (MINIGAN_FAST=1), its
printed output kept in docs/results/lessons/NN_name.txt (full) and NN_name.fast.txt, its time
in docs/results/lessons.csv: CPU seconds (user + system, what "on one core" means; steady on a
shared machine) and wall-clock seconds.

    python docs/results/lessons.py         # every lesson: about 4 minutes on one core
    python docs/results/lessons.py 02 08   # only these (their rows of lessons.csv replaced)

One BLAS thread, figures into a scratch folder. The numbers a lesson's prose quotes are checked
against these files by tests/test_prose_numbers.py, and the README's "≤ 90 s on one core" and
"a few seconds" against lessons.csv: rerun this script when the code or a lesson changes.
"""
import csv
import glob
import os
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(HERE, "lessons")


def run(lesson, fast, work):
    env = {**os.environ, "MINIGAN_OUT": work, "OPENBLAS_NUM_THREADS": "1", "MPLBACKEND": "Agg",
           "MINIGAN_FAST": "1" if fast else "0"}
    cpu = lambda: (lambda r: r.ru_utime + r.ru_stime)(resource.getrusage(resource.RUSAGE_CHILDREN))
    t0, c0 = time.time(), cpu()
    proc = subprocess.run([sys.executable, lesson], cwd=work, env=env, capture_output=True,
                          text=True, check=True)
    text = proc.stdout.replace(ROOT + os.sep, "").replace(ROOT, ".")
    return text, round(cpu() - c0, 1), round(time.time() - t0, 1)


def main(only=()):
    import numpy
    import minigan
    os.makedirs(OUT, exist_ok=True)
    table = os.path.join(HERE, "lessons.csv")
    kept = []
    if only and os.path.exists(table):
        with open(table, newline="") as f:
            kept = [r for r in csv.DictReader(f) if not r["lesson"].startswith(tuple(only))]
    rows = []
    for lesson in sorted(glob.glob(os.path.join(ROOT, "demos", "[0-9][0-9]_*.py"))):
        name = os.path.basename(lesson)[:-3]
        if only and not name.startswith(tuple(only)):
            continue
        row = {"lesson": name}
        for fast in (False, True):
            with tempfile.TemporaryDirectory() as work:
                text, cpu, wall = run(lesson, fast, work)
            with open(os.path.join(OUT, name + (".fast.txt" if fast else ".txt")), "w",
                      encoding="utf-8") as f:
                f.write(text)
            mode = "fast_" if fast else ""
            row[mode + "cpu_seconds"], row[mode + "wall_seconds"] = cpu, wall
        print(row, flush=True)
        rows.append({**row, "minigan": minigan.__version__, "numpy": numpy.__version__})
    rows = sorted(kept + rows, key=lambda r: r["lesson"])
    with open(table, "w", newline="") as f:
        w = csv.DictWriter(f, list(rows[0]))
        w.writeheader()
        w.writerows(rows)


if __name__ == "__main__":
    main(sys.argv[1:])
