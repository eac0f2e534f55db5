r"""Does a speed trick pay for its place in the teaching core?  Paired, alternating timings.

Each *tree* is a copy of the package (a folder holding ``minigan/``): the plain core, and the plain
core with one trick put back. For every benchmark row (the workload of ``minigan bench``: loss ×
hidden width × dtype, batch 256, depth 3) and every round, each tree runs in a fresh process, the
trees in a rotating order, timing ``Trainer.train_step`` after a warm-up. A trick's speed-up in a
round is t(plain) / t(plain + trick) of that round; the machine drifts by ±20 % between minutes, so
the table reports the *smallest* per-round speed-up (and the median). The rule of the core: a trick
stays only where its smallest speed-up is ≥ 1.10 on some row.

    python docs/perf/tricks.py --tree plain=/tmp/plain --tree relu=/tmp/v_relu ... \
        --rounds 3 --out docs/perf/tricks_before_after.md

Runs with one BLAS thread (OPENBLAS_NUM_THREADS=1 etc.) unless --threads says otherwise. A tree
named ``NAME+malloc`` runs the plain package after ``minigan.memory.keep_freed_memory()`` where
that module exists in the tree.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

ROWS = [(loss, h, dt) for loss in ("gan", "wgan-gp") for h in (128, 512) for dt in ("float32", "float64")]
ITERS = {("gan", 128): 300, ("gan", 512): 40, ("wgan-gp", 128): 40, ("wgan-gp", 512): 6}

CHILD = r"""
import json, sys, time
cfg = json.loads(sys.argv[1])
if cfg.pop("malloc"):
    from minigan.runs.memory import keep_freed_memory
    keep_freed_memory()
from minigan.config import TrainConfig
from minigan.train import Trainer
loss = dict(loss="nsgan") if cfg["loss"] == "gan" else dict(loss="wgan-gp", gp=10.0)
t = Trainer(TrainConfig(data="ring8", activation="relu", hidden=cfg["hidden"], depth=3, batch=256,
                        z_dim=2, dtype=cfg["dtype"], seed=0, eval_samples=64, **loss))
for _ in range(max(2, cfg["iters"] // 5)):
    t.train_step()
t0 = time.perf_counter()
for _ in range(cfg["iters"]):
    t.train_step()
print(json.dumps({"sec_per_iter": (time.perf_counter() - t0) / cfg["iters"]}))
"""


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--tree", action="append", required=True, metavar="NAME=PATH",
                   help="a tree to time; the first is the baseline (repeatable). "
                        "Append +malloc to NAME to apply keep_freed_memory() first")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--threads", type=int, default=1, help="BLAS threads of every run")
    p.add_argument("--rows", default="all", help="comma list like gan-128-float32, or all")
    p.add_argument("--jsonl", help="append every timing here")
    p.add_argument("--out", help="write the markdown table here")
    a = p.parse_args(argv)
    trees = [t.split("=", 1) for t in a.tree]
    rows = ROWS if a.rows == "all" else [(r.rsplit("-", 2)[0], int(r.rsplit("-", 2)[1]), r.rsplit("-", 2)[2])
                                         for r in a.rows.split(",")]
    times = {(name, row): [] for name, _ in trees for row in rows}
    for rnd in range(a.rounds):
        for i, row in enumerate(rows):
            k = (rnd + i) % len(trees)
            for name, path in trees[k:] + trees[:k]:                  # rotating order
                loss, hidden, dtype = row
                cfg = dict(loss=loss, hidden=hidden, dtype=dtype, iters=ITERS[(loss, hidden)],
                           malloc=name.endswith("+malloc"))
                env = dict(os.environ, PYTHONPATH=path)
                for v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
                    env[v] = str(a.threads)
                out = subprocess.run([sys.executable, "-c", CHILD, json.dumps(cfg)], env=env,
                                     capture_output=True, text=True, check=True)
                s = json.loads(out.stdout)["sec_per_iter"]
                times[(name, row)].append(s)
                if a.jsonl:
                    with open(a.jsonl, "a") as f:
                        f.write(json.dumps(dict(round=rnd, tree=name, loss=loss, hidden=hidden,
                                                dtype=dtype, sec_per_iter=s)) + "\n")
            print(f"round {rnd + 1}/{a.rounds} {row} done", file=sys.stderr, flush=True)
    base = trees[0][0]
    lines = [f"Speed-up of each tree over `{base}` (t({base}) / t(tree)), per benchmark row; "
             f"{a.rounds} alternating rounds, {a.threads} BLAS thread(s). "
             "Cell: smallest per-round speed-up (median in brackets); ms per iteration of "
             f"`{base}` in the second column.", "",
             "| row | " + f"{base} ms | " + " | ".join(n for n, _ in trees[1:]) + " |",
             "|---|---:|" + "---:|" * (len(trees) - 1)]
    for row in rows:
        b = times[(base, row)]
        cells = []
        for name, _ in trees[1:]:
            r = [tb / tv for tb, tv in zip(b, times[(name, row)])]
            cells.append(f"{min(r):.2f} ({statistics.median(r):.2f})")
        lines.append(f"| {row[0]}-{row[1]} {row[2]} | {1000 * statistics.median(b):.2f} | "
                     + " | ".join(cells) + " |")
    text = "\n".join(lines) + "\n"
    print(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
